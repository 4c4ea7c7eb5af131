// Rebuilding an upstream answer: a new body (a rewritten error, a transcoded stream) that reads like undici's,
// so every caller keeps using .text(), async iteration, pipe and destroy.
import { Readable } from 'node:stream';
import type { UpstreamResponse } from '../upstream.ts';

type Body = UpstreamResponse['body'];

function withReaders(stream: Readable): Body {
  const body = stream as Readable & Partial<Body>;
  const collect = async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  };
  Object.assign(body, {
    text: async () => (await collect()).toString('utf8'),
    json: async () => JSON.parse((await collect()).toString('utf8')),
    arrayBuffer: async () => {
      const bytes = await collect();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
    bytes: async () => new Uint8Array(await collect()),
  });
  return body as Body;
}

export function textResponse(from: UpstreamResponse, status: number, text: string, headers: Record<string, string>): UpstreamResponse {
  const body = withReaders(Readable.from([Buffer.from(text)]));
  return { ...from, statusCode: status, headers: { ...from.headers, ...headers, 'content-length': String(Buffer.byteLength(text)) }, body };
}

export function streamResponse(from: UpstreamResponse, source: AsyncIterable<Uint8Array>, headers: Record<string, string>): UpstreamResponse {
  const stream = Readable.from(source, { objectMode: false });
  // Stopping the reader stops the upstream read too (a client that left, a failed opening).
  stream.once('close', () => {
    if (!from.body.destroyed) from.body.destroy();
  });
  const merged = { ...from.headers, ...headers };
  delete merged['content-length'];
  return { ...from, headers: merged, body: withReaders(stream) };
}

/** An answer made by the gateway itself, with no upstream behind it (no upstream serves the call). */
export function localAnswer(status: number, body: unknown, headers: Record<string, string> = {}): UpstreamResponse {
  const text = JSON.stringify(body);
  return {
    statusCode: status,
    statusText: '',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers },
    trailers: {},
    opaque: null,
    context: {},
    body: withReaders(Readable.from([Buffer.from(text)])),
  } as unknown as UpstreamResponse;
}
