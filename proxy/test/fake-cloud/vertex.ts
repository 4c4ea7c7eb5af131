// A fake Google Vertex AI endpoint for Claude: rawPredict / streamRawPredict under a project and region, an
// OAuth bearer token, anthropic_version "vertex-2023-10-16" in the body and no model there (count-tokens keeps
// it). Quota errors come back in Google's shape; streams are Anthropic's SSE, as Vertex sends them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { innerText, jsonError, startFakeCloud, type FakeCloud, type FrontRequest, type Translated } from './front.ts';

export const VERTEX_TOKEN = 'ya29.fake-vertex-access-token';
export const VERTEX_PROJECT = 'fake-project';
export const VERTEX_REGION = 'us-east5';

const PATH = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;

function google(status: number, state: string, message: string): Translated {
  return jsonError(status, {}, { error: { code: status, message, status: state } });
}

function translate(req: FrontRequest): Translated {
  const match = PATH.exec(req.url);
  if (req.method !== 'POST' || !match) return google(404, 'NOT_FOUND', `The requested URL ${req.url} was not found on this server.`);
  if (req.headers.authorization !== `Bearer ${VERTEX_TOKEN}`) return google(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
  if (match[1] !== VERTEX_PROJECT || match[2] !== VERTEX_REGION) return google(403, 'PERMISSION_DENIED', 'Permission denied on resource project.');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return google(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  }
  if (body.anthropic_version !== 'vertex-2023-10-16') return google(400, 'INVALID_ARGUMENT', 'anthropic_version: must be vertex-2023-10-16');
  const model = decodeURIComponent(match[3]!);
  if (model === 'count-tokens') return { ok: true, path: '/v1/messages/count_tokens', body: stripVersion(body) };
  if ('model' in body) return google(400, 'INVALID_ARGUMENT', 'model: extraneous field; the model is in the URL');
  const stream = match[4] === 'streamRawPredict';
  if ((body.stream === true) !== stream) return google(400, 'INVALID_ARGUMENT', 'stream must match the method (streamRawPredict)');
  return { ok: true, path: '/v1/messages', body: { ...stripVersion(body), model: model.replace('@', '-') } };
}

function stripVersion(body: Record<string, unknown>): Record<string, unknown> {
  const { anthropic_version: _v, ...rest } = body;
  return rest;
}

async function answer(inner: IncomingMessage, out: ServerResponse): Promise<void> {
  const status = inner.statusCode ?? 500;
  if (status === 429) {
    await innerText(inner);
    out.writeHead(429, { 'content-type': 'application/json' });
    out.end(JSON.stringify({ error: { code: 429, message: 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model.', status: 'RESOURCE_EXHAUSTED' } }));
    return;
  }
  out.writeHead(status, { 'content-type': String(inner.headers['content-type'] ?? 'application/json') });
  inner.on('aborted', () => out.destroy());
  for await (const chunk of inner) out.write(chunk);
  if (!inner.complete) out.destroy();
  else out.end();
}

export function startFakeVertex(): Promise<FakeCloud> {
  return startFakeCloud({ translate, answer });
}
