// A thin HTTP front in a cloud's wire format, in front of an ordinary fake Anthropic API: the cloud's request is
// checked strictly, turned into Anthropic's, answered by the same fake logic, and the answer is turned back into
// the cloud's shape. Each cloud supplies only its request check and its answer translation.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { startFakeAnthropic, type FakeAnthropic, type Responder } from '../fake-anthropic/index.ts';

export interface FrontRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the front sends the inner fake, or a cloud-shaped refusal. */
export type Translated = { ok: true; body: Record<string, unknown>; path: string; headers?: Record<string, string> } | { ok: false; status: number; headers: Record<string, string>; body: string };

export interface CloudShape {
  translate(request: FrontRequest): Promise<Translated> | Translated;
  /** Writes the inner fake's answer to the client in the cloud's shape. */
  answer(inner: IncomingMessage, out: ServerResponse, stream: boolean): Promise<void>;
}

export interface FakeCloud {
  url: string;
  /** Every request the front received, as received. */
  requests: FrontRequest[];
  /** The fake Anthropic behind the front (its responder decides the answers). */
  inner: FakeAnthropic;
  setResponder(r: Responder | undefined): void;
  close(): Promise<void>;
}

function flat(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(inner: FakeAnthropic, t: Extract<Translated, { ok: true }>, out: ServerResponse): Promise<IncomingMessage> {
  const url = new URL(t.path, inner.url);
  const payload = JSON.stringify(t.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...t.headers } }, resolve);
    req.on('error', reject);
    // A client that leaves ends the inner request too, as the cloud would.
    out.once('close', () => req.destroy());
    req.end(payload);
  });
}

export async function startFakeCloud(shape: CloudShape): Promise<FakeCloud> {
  const inner = await startFakeAnthropic();
  const requests: FrontRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      const recorded: FrontRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: flat(req), body: await readAll(req) };
      requests.push(recorded);
      const t = await shape.translate(recorded);
      if (!t.ok) {
        res.writeHead(t.status, { 'content-type': 'application/json', ...t.headers });
        res.end(t.body);
        return;
      }
      const answer = await forward(inner, t, res);
      await shape.answer(answer, res, t.body.stream === true);
    })().catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inner,
    setResponder: (r) => inner.setResponder(r),
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      });
      await inner.close();
    },
  };
}

export function jsonError(status: number, headers: Record<string, string>, body: unknown): Translated {
  return { ok: false, status, headers, body: JSON.stringify(body) };
}

/** The inner answer's body, whole. */
export async function innerText(inner: IncomingMessage): Promise<string> {
  return (await readAll(inner)).toString('utf8');
}
