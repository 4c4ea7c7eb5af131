// A fake Amazon Bedrock runtime (InvokeModel / InvokeModelWithResponseStream for Claude), as strict as the
// service about what the gateway must get right: the path, SigV4 (recomputed here with the AWS signer and
// compared), anthropic_version "bedrock-2023-05-31" in the body and no model or stream there. Errors come back
// as Bedrock's {message} with x-amzn-ErrorType; streams in AWS event-stream framing with base64 chunks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SseDecoder } from '../../src/upstream/sse-decoder.ts';
import { innerText, jsonError, startFakeCloud, type FakeCloud, type FrontRequest, type Translated } from './front.ts';

export const AWS_KEYS = { accessKeyId: 'AKIDFAKEBEDROCK00001', secretAccessKey: 'fake-secret-access-key-0123456789' };
export const AWS_REGION = 'us-east-1';
/** A Bedrock API key, accepted as a bearer token instead of SigV4. */
export const BEDROCK_API_KEY = 'ABSKfakebedrockapikey0123456789';

const PATH = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/;
const EXCEPTIONS: Record<number, [number, string]> = {
  429: [429, 'ThrottlingException'],
  529: [503, 'ServiceUnavailableException'],
  503: [503, 'ServiceUnavailableException'],
  500: [500, 'InternalServerException'],
  400: [400, 'ValidationException'],
  404: [404, 'ResourceNotFoundException'],
};

const codec = new EventStreamCodec((b: Uint8Array) => Buffer.from(b).toString('utf8'), (s: string) => new Uint8Array(Buffer.from(s, 'utf8')));

function refuse(status: number, exception: string, message: string): Translated {
  return jsonError(status, { 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/` }, { message });
}

async function signatureMatches(req: FrontRequest): Promise<boolean> {
  const auth = req.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const date = req.headers['x-amz-date'];
  if (!date || !auth.startsWith(`AWS4-HMAC-SHA256 Credential=${AWS_KEYS.accessKeyId}/`)) return false;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) if (req.headers[name] !== undefined) headers[name] = req.headers[name]!;
  const signer = new SignatureV4({ service: 'bedrock', region: AWS_REGION, credentials: AWS_KEYS, sha256: Sha256 });
  const at = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const signed = await signer.sign({ method: req.method, protocol: 'http:', hostname: '127.0.0.1', path: req.url.split('?')[0]!, query: {}, headers, body: req.body.toString('utf8') }, { signingDate: at });
  return signed.headers.authorization === auth;
}

/** anthropic.claude-x-v1:0 or us.anthropic.claude-x-v1:0 → claude-x. */
export function anthropicModel(bedrockId: string): string | undefined {
  return /^(?:[a-z]+\.)?anthropic\.(.+)-v\d+:\d+$/.exec(bedrockId)?.[1];
}

async function translate(req: FrontRequest): Promise<Translated> {
  const match = PATH.exec(req.url);
  if (req.method !== 'POST' || !match) return refuse(404, 'UnknownOperationException', 'Unknown operation');
  const bearer = req.headers.authorization === `Bearer ${BEDROCK_API_KEY}`;
  if (!bearer && !(await signatureMatches(req))) return refuse(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return refuse(400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
  }
  if (body.anthropic_version !== 'bedrock-2023-05-31') return refuse(400, 'ValidationException', 'Malformed input request: #: required key [anthropic_version] not found or invalid');
  if ('model' in body || 'stream' in body) return refuse(400, 'ValidationException', 'Malformed input request: #: extraneous key [model/stream] is not permitted');
  const model = anthropicModel(decodeURIComponent(match[1]!));
  if (!model) return refuse(400, 'ValidationException', 'The provided model identifier is invalid.');
  const { anthropic_version: _v, anthropic_beta: betas, ...rest } = body;
  const headers = Array.isArray(betas) ? { 'anthropic-beta': betas.join(',') } : undefined;
  return { ok: true, path: '/v1/messages', body: { ...rest, model, ...(match[2] === 'invoke-with-response-stream' && { stream: true }) }, ...(headers && { headers }) };
}

function frame(headers: Record<string, string>, payload: unknown): Uint8Array {
  const typed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }]));
  return codec.encode({ headers: typed, body: new Uint8Array(Buffer.from(JSON.stringify(payload))) });
}

async function answer(inner: IncomingMessage, out: ServerResponse, stream: boolean): Promise<void> {
  const status = inner.statusCode ?? 500;
  if (status !== 200) {
    const text = await innerText(inner);
    const [code, exception] = EXCEPTIONS[status] ?? [status, 'InternalServerException'];
    let message = text;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      // Not Anthropic's error shape: the body itself is the message.
    }
    out.writeHead(code, { 'content-type': 'application/json', 'x-amzn-errortype': exception, ...(inner.headers['retry-after'] && { 'retry-after': String(inner.headers['retry-after']) }) });
    out.end(JSON.stringify({ message }));
    return;
  }
  if (!stream) {
    out.writeHead(200, { 'content-type': 'application/json' });
    out.end(await innerText(inner));
    return;
  }
  out.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json' });
  const decoder = new SseDecoder();
  inner.on('error', () => out.destroy());
  inner.on('aborted', () => out.destroy());
  for await (const chunk of inner) {
    for (const event of decoder.push(chunk as Buffer)) {
      if (event.event === 'ping' || event.data === '') continue;
      if (event.event === 'error') {
        const error = JSON.parse(event.data).error;
        out.write(frame({ ':message-type': 'exception', ':exception-type': error.type === 'overloaded_error' ? 'serviceUnavailableException' : 'modelStreamErrorException', ':content-type': 'application/json' }, { message: error.message }));
        continue;
      }
      const bytes = Buffer.from(event.data).toString('base64');
      out.write(frame({ ':event-type': 'chunk', ':message-type': 'event', ':content-type': 'application/json' }, { bytes, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123' }));
    }
  }
  if (!inner.complete) out.destroy();
  else out.end();
}

export function startFakeBedrock(): Promise<FakeCloud> {
  return startFakeCloud({ translate, answer });
}
