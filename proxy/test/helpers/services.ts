// The real Redis and PostgreSQL on this machine, for the replica tests: whether they answer (tests skip, saying
// why, only when they do not), and a TCP proxy in front of either, cut and restored to play an outage without
// touching the real server.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';

export const REDIS_PORT = 6379;
export const POSTGRES_PORT = 5432;
export const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;
export const POSTGRES_URL = `postgres://postgres@127.0.0.1:${POSTGRES_PORT}/test`;

/** A name unique to this run, safe as a Redis key prefix or a Postgres schema name. */
export function runId(label: string): string {
  return `${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Whether Redis answers PING within a second. */
export function redisAnswers(port = REDIS_PORT): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Whether PostgreSQL accepts a connection to the `test` database within two seconds. */
export async function postgresAnswers(url = POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const skipUnless = (up: boolean, service: string, where: string) =>
  up ? false : `${service} does not answer on ${where}; these tests need the real one (CI starts it)`;

export interface TcpProxy {
  port: number;
  /** Closes the listening port and every connection through it: the service looks gone. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Keeps connections open but lets nothing through, either way: the service hangs. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/** A TCP proxy on a free local port forwarding to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  let server: Server | undefined;
  let frozen = false;
  const forward = (from: Socket, to: Socket) => from.on('data', (chunk) => frozen || to.write(chunk));
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        track(client);
        track(upstream);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        forward(client, upstream);
        forward(upstream, client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as { port: number }).port);
      });
    });
  const port = await listen(0);
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise((resolve) => s.close(resolve));
  };
  return {
    port,
    cut,
    restore: async () => {
      if (!server) await listen(port);
    },
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
    close: cut,
  };
}

/** Polls `check` every 50 ms until it holds, or fails naming `what`; a check that throws has not held yet. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
