// Hosts the gateway inside the desktop process and swaps it for a rebuilt one without dropping a request.
//
// The host owns the listening socket and hands each request to the current Fastify app (`app.routing`), so a
// rebuilt app takes over new requests the moment it is ready, while the requests the old app already accepted —
// long streams included — finish on the old app. The old app is closed only once it has drained (or its grace
// period ran out). Closing first and listening again after would refuse connections for as long as the longest
// stream lasts; sharing one listener leaves no such window. A port change opens the new listener first and
// retires the old one the same way.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../proxy/src/config/config.ts';
import { GatewayError } from '../../proxy/src/errors.ts';

export type BuildGateway = (config: GatewayConfig) => FastifyInstance;

interface Generation {
  app: FastifyInstance;
  config: GatewayConfig;
  inFlight: number;
  drained: Array<() => void>;
}

interface Listener {
  server: Server;
  /** Set once a newer listener took over or the gateway stopped: finished connections are then let go. */
  retired: boolean;
  host: string;
  /** The port asked for (0 = any); what it got is in `address`. */
  requestedPort: number;
  address: AddressInfo;
}

export interface GatewayHostOptions {
  build: BuildGateway;
  /** Longest wait for an old app's requests before it is closed anyway; defaults to the config's shutdown grace. */
  drainTimeoutMs?: (config: GatewayConfig) => number;
}

export interface GatewayHost {
  start(config: GatewayConfig): Promise<AddressInfo>;
  /** Replaces the running gateway with one built from `config`; starts it when stopped. */
  apply(config: GatewayConfig): Promise<AddressInfo>;
  stop(): Promise<void>;
  readonly running: boolean;
  readonly address: AddressInfo | undefined;
  /** The app serving new requests, for in-process calls such as `inject`. */
  readonly app: FastifyInstance | undefined;
  readonly config: GatewayConfig | undefined;
  /** Resolves when every retired app has drained and closed (tests and quit wait on it). */
  settled(): Promise<void>;
}

export function createGatewayHost(options: GatewayHostOptions): GatewayHost {
  const drainTimeout = options.drainTimeoutMs ?? ((config: GatewayConfig) => config.shutdownGraceMs);
  let current: Generation | undefined;
  let listener: Listener | undefined;
  const retiring = new Set<Promise<void>>();
  // Starts, applies and stops run one at a time, in call order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  function dispatch(req: IncomingMessage, res: ServerResponse): void {
    const generation = current;
    if (!generation) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { message: 'The gateway is stopped.', type: 'overloaded_error', param: null, code: 'gateway_stopped' } }));
      return;
    }
    generation.inFlight++;
    res.once('close', () => {
      generation.inFlight--;
      if (generation.inFlight === 0) for (const resolve of generation.drained.splice(0)) resolve();
    });
    generation.app.routing(req, res);
  }

  async function listen(host: string, port: number): Promise<Listener> {
    // Long streams must not be cut by Node's request timeout; idle keep-alive sockets are what Fastify would keep.
    const entry = { retired: false } as Listener;
    const server = createServer({ requestTimeout: 0, keepAliveTimeout: 72_000 }, (req, res) => {
      // A retired listener closes each keep-alive connection as soon as its last response is done.
      res.once('close', () => {
        if (entry.retired) setImmediate(() => server.closeIdleConnections());
      });
      dispatch(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return Object.assign(entry, { server, host, requestedPort: port, address: server.address() as AddressInfo });
  }

  async function build(config: GatewayConfig): Promise<Generation> {
    const app = options.build(config);
    await app.ready();
    return { app, config, inFlight: 0, drained: [] };
  }

  function waitDrained(generation: Generation, timeoutMs: number): Promise<void> {
    if (generation.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
      generation.drained.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Streams still open after the grace period end with an error frame saying why, as in the headless CLI. */
  function cutStreams(generation: Generation): void {
    const streams = generation.app.gatewayContext?.activeStreams;
    if (!streams || streams.size === 0) return;
    const reason = new GatewayError({ status: 503, type: 'overloaded_error', code: 'gateway_restarting', message: 'The gateway was restarted or stopped.' });
    for (const abort of streams) abort.abort(reason);
  }

  /** Lets the old app finish what it accepted, then closes it. */
  function retireGeneration(generation: Generation): Promise<void> {
    const done = waitDrained(generation, drainTimeout(generation.config))
      .then(async () => {
        cutStreams(generation);
        if (generation.inFlight > 0) await waitDrained(generation, 1000);
        await generation.app.close();
      })
      .catch(() => undefined)
      .finally(() => retiring.delete(done));
    retiring.add(done);
    return done;
  }

  /**
   * Stops accepting on an old listener. Its open connections end on their own as their responses finish; any
   * left once the old app has closed (a client that never reads) are cut a moment later.
   */
  function retireListener(old: Listener, appRetired: Promise<void>): void {
    old.retired = true;
    const done = new Promise<void>((resolve) => {
      old.server.close(() => resolve());
      old.server.closeIdleConnections();
      void appRetired.then(() => {
        const timer = setTimeout(() => old.server.closeAllConnections(), 1000);
        timer.unref?.();
        old.server.once('close', () => clearTimeout(timer));
      });
    }).finally(() => retiring.delete(done));
    retiring.add(done);
  }

  async function applyNow(config: GatewayConfig): Promise<AddressInfo> {
    const next = await build(config);
    let nextListener = listener;
    if (!listener || listener.host !== config.host || listener.requestedPort !== config.port) {
      try {
        nextListener = await listen(config.host, config.port);
      } catch (error) {
        await next.app.close();
        throw error;
      }
    }
    const previous = current;
    const previousListener = listener;
    current = next;
    listener = nextListener;
    const previousRetired = previous ? retireGeneration(previous) : Promise.resolve();
    if (previousListener && previousListener !== nextListener) retireListener(previousListener, previousRetired);
    return listener!.address;
  }

  async function stopNow(): Promise<void> {
    const previous = current;
    const previousListener = listener;
    current = undefined;
    listener = undefined;
    const previousRetired = previous ? retireGeneration(previous) : Promise.resolve();
    if (previousListener) retireListener(previousListener, previousRetired);
    await settledNow();
  }

  async function settledNow(): Promise<void> {
    while (retiring.size > 0) await Promise.all([...retiring]);
  }

  return {
    start: (config) => serial(() => applyNow(config)),
    apply: (config) => serial(() => applyNow(config)),
    stop: () => serial(stopNow),
    settled: () => serial(settledNow),
    get running() {
      return current !== undefined;
    },
    get address() {
      return listener?.address;
    },
    get app() {
      return current?.app;
    },
    get config() {
      return current?.config;
    },
  };
}
