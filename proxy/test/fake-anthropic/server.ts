// A fake Anthropic API on plain node:http: records every request, checks credentials and the version
// header the way the API does, and hands the request to its route.
//
// From the "Errors" and "Versioning" pages: every response carries a request-id header; the request body
// may be at most 32 MB (413 request_too_large); anthropic-version is required; a missing or wrong API key
// is a 401 authentication_error; unknown paths are a 404 not_found_error.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError } from './api-error.ts';
import type { FakeState, RouteContext } from './context.ts';
import { asApiError, sendError } from './http-out.ts';
import { PromptCache } from './prompt-cache.ts';
import { createRng, requestSeed } from './rng.ts';
import { matchRoute, ROUTES } from './routes.ts';
import { Sleeper } from './sleeper.ts';
import type { FakeAnthropic, FakeAnthropicOptions, RecordedRequest } from './types.ts';

export type * from './types.ts';

const MAX_BODY_BYTES = 32 * 1024 * 1024;
// "Versions" page: 2023-01-01 (initial), 2023-06-01, and 2026-10-21 (sent by the current SDK majors).
const KNOWN_VERSIONS = new Set(['2023-01-01', '2023-06-01', '2026-10-21']);

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// The current SDKs send the key as a bearer token; when both headers are present the API uses x-api-key.
function presentedKey(headers: Record<string, string>): string | undefined {
  if (headers['x-api-key'] !== undefined) return headers['x-api-key'];
  const auth = headers['authorization'];
  return auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
}

function checkEdge(headers: Record<string, string>, apiKey: string | undefined): void {
  if (apiKey !== undefined) {
    const key = presentedKey(headers);
    if (key === undefined) throw new ApiError(401, 'x-api-key header is required');
    if (key !== apiKey) throw new ApiError(401, 'invalid x-api-key');
  }
  const version = headers['anthropic-version'];
  if (version === undefined) throw new ApiError(400, 'anthropic-version: header is required');
  if (!KNOWN_VERSIONS.has(version)) throw new ApiError(400, `anthropic-version: "${version}" is not a valid version`);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handle(state: FakeState, requests: RecordedRequest[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rng = createRng(requestSeed(state.seed, state.sequence++));
  const requestId = `req_${rng.id(24)}`;
  const headers = flatHeaders(req);
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const recorded: RecordedRequest = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers,
    body: undefined,
    receivedAt: state.now(),
    aborted: false,
  };
  requests.push(recorded);
  let serverDropped = false;
  res.on('close', () => {
    if (!res.writableFinished && !serverDropped) recorded.aborted = true;
  });

  const base = { res, requestId };
  try {
    const raw = await readBody(req);
    if (raw === 'too-large') {
      throw new ApiError(413, 'Request exceeds the maximum allowed number of bytes. The maximum request size is 32 MB for standard API endpoints.');
    }
    let badJson = false;
    if (raw.length > 0) {
      try {
        recorded.body = JSON.parse(raw.toString('utf8'));
      } catch {
        badJson = true;
      }
    }
    checkEdge(headers, state.apiKey);
    const match = matchRoute(ROUTES, recorded.method, url.pathname);
    if (match === undefined) throw new ApiError(404, 'Not Found');
    if (match === 'method-not-allowed') throw new ApiError(405, 'Method Not Allowed');
    const ctx: RouteContext = {
      recorded,
      res,
      params: match.params,
      query: url.searchParams,
      state,
      requestId,
      rng,
      badJson,
      scope: presentedKey(headers) ?? '',
      apiVersion: headers['anthropic-version']!,
      markServerDrop: () => {
        serverDropped = true;
      },
    };
    await match.route.handle(ctx);
  } catch (err) {
    const error = asApiError(err);
    recorded.rejected = { status: error.status, message: error.message };
    if (!res.destroyed) sendError(base, error);
  }
}

export function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const now = opts.now ?? Date.now;
  const state: FakeState = {
    now,
    seed: opts.seed ?? 1,
    sequence: 0,
    cache: new PromptCache(now),
    responder: opts.respond,
    sleeper: new Sleeper(),
    apiKey: opts.apiKey,
  };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(state, requests, req, res);
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        requests,
        setResponder: (r) => {
          state.responder = r;
        },
        reset: () => {
          requests.length = 0;
          state.cache.clear();
          state.sequence = 0;
        },
        close: () =>
          new Promise<void>((done) => {
            state.sleeper.cancelAll();
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
            server.closeAllConnections();
          }),
      });
    });
  });
}
