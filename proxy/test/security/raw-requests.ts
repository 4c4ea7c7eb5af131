// Raw HTTP/1.1 bytes for the socket share of the hostile suite: request lines, headers and bodies no client
// library would send (invalid UTF-8, oversize header blocks, unknown methods, broken chunking).
import { connect } from 'node:net';
import fc from 'fast-check';

export interface RawRequest {
  label: string;
  path: string;
  head: boolean;
  bytes: Buffer;
}

function build(method: string, path: string, headers: string[], body: Buffer): RawRequest {
  const head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
  return { label: `${method} ${path.slice(0, 60)} [${headers.map((h) => h.slice(0, 30)).join('|')}] ${body.length}B`, path, head: method === 'HEAD', bytes: Buffer.concat([Buffer.from(head, 'latin1'), body]) };
}

const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from('{"model":"sonnet","messages":[{"role":"user","content":"'), Buffer.from(bytes), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]));

export function rawRequests(key: string): fc.Arbitrary<RawRequest> {
  const auth = `Authorization: Bearer ${key}`;
  const json = (body: Buffer) => ['Content-Type: application/json', `Content-Length: ${body.length}`];
  return fc.oneof(
    invalidUtf8.map((body) => build('POST', '/v1/chat/completions', [auth, ...json(body)], body)),
    invalidUtf8.map((body) => build('POST', '/v1/messages', [`x-api-key: ${key}`, ...json(body)], body)),
    fc.integer({ min: 20_000, max: 40_000 }).map((n) => build('GET', '/v1/models', [auth, `X-Big: ${'h'.repeat(n)}`], Buffer.alloc(0))),
    fc.constantFrom('FOO', 'PROPFIND', 'TRACE', 'CONNECT', 'get', 'M-SEARCH').map((m) => build(m, '/v1/models', [auth], Buffer.alloc(0))),
    fc.constantFrom('/v1/models/%', '/v1/\u00ff\u00fe', '/v1/models/a b', '//v1//models', '/v1/models?x=%ZZ', '*', `/v1/${'p'.repeat(9000)}`).map((p) => build('GET', p, [auth], Buffer.alloc(0))),
    fc.constantFrom('1\r\n{\r\n0\r\n\r\n', 'zz\r\n\r\n', '0\r\n\r\n', '5\r\n[[[[[\r\n0\r\n\r\n').map((chunks) => build('POST', '/v1/chat/completions', [auth, 'Content-Type: application/json', 'Transfer-Encoding: chunked'], Buffer.from(chunks))),
    // Garbage that starts with a byte no request line can start with, so the parser refuses it at once.
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ label: `garbage ${bytes.length}B`, path: '/', head: false, bytes: Buffer.concat([Buffer.from([0x00]), Buffer.from(bytes), Buffer.from('\r\n\r\n')]) })),
    fc.string({ maxLength: 200 }).map((s) => {
      const body = Buffer.from(s);
      return build('POST', '/v1/chat/completions', [auth, 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Content-Length: 1'], body);
    }),
  );
}

export interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Sends the bytes and reads until the server closes; a connection closed without an answer counts as status 0. */
export function sendRaw(port: number, bytes: Buffer, timeoutMs: number): Promise<RawAnswer | 'timeout'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, timeoutMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type:\s*([^\r\n]+)/i.exec(head)?.[1];
      const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      let body = split === -1 ? '' : text.slice(split + 4);
      if (chunked) body = body.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '$1').replace(/\r\n/g, '');
      resolve({ status, contentType, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
    socket.write(bytes);
  });
}
