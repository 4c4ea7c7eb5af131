// The Message Batches API: POST /v1/messages/batches, GET /v1/messages/batches[/{id}], GET
// /v1/messages/batches/{id}/results (JSONL), POST /v1/messages/batches/{id}/cancel, DELETE
// /v1/messages/batches/{id}.
//
// From "Batch processing" and the Message Batches API reference (platform.claude.com): a batch holds at most
// 100,000 requests, each with a unique custom_id of 1-64 letters, digits, "_" or "-" and the params of a
// non-streaming Messages request; it is "in_progress" until every request has a result, then "ended" with a
// results_url; results come as JSONL, one `{custom_id, result}` per line, in no guaranteed order; each result
// is "succeeded" (with the message), "errored" (with the error), "canceled" or "expired"; cancelling makes
// the batch "canceling" and the requests that had not finished come back "canceled"; results are kept 29 days.
//
// The fake decides each request when the batch is created, with the same validation and responder as
// POST /v1/messages; a request's plan `delayMs` is how long it takes to finish, so a batch ends when its slowest
// request does (on the server's injectable clock). A responder that answers the create call itself (path
// /v1/messages/batches) with an error plan makes the whole create fail with that error.
import { ApiError, invalid } from './api-error.ts';
import type { FakeState, Route, RouteContext } from './context.ts';
import { sendJson } from './http-out.ts';
import { buildMessage, messageJson, usageJson } from './message-builder.ts';
import { defaultResponder } from './responder.ts';
import type { FakePlan, RecordedRequest } from './types.ts';
import { validateRequest } from './validate.ts';

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_REQUESTS = 100_000;
const DAY_MS = 24 * 3600_000;

type Result =
  | { type: 'succeeded'; message: unknown }
  | { type: 'errored'; error: { type: 'error'; error: { type: string; message: string } } }
  | { type: 'canceled' }
  | { type: 'expired' };

interface FakeBatch {
  id: string;
  createdAt: number;
  cancelAt: number | null;
  requests: Array<{ customId: string; doneAt: number; result: Result }>;
}

const books = new WeakMap<FakeState, Map<string, FakeBatch>>();

function book(state: FakeState): Map<string, FakeBatch> {
  let found = books.get(state);
  if (!found) books.set(state, (found = new Map()));
  return found;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function endedAt(batch: FakeBatch): number {
  const last = Math.max(batch.createdAt, ...batch.requests.map((r) => r.doneAt));
  return batch.cancelAt === null ? last : Math.min(last, batch.cancelAt);
}

/** What a request's result is at time `at`: its own, or canceled when the batch was cancelled before it finished. */
function resultAt(batch: FakeBatch, request: FakeBatch['requests'][number]): Result {
  return batch.cancelAt !== null && request.doneAt > batch.cancelAt ? { type: 'canceled' } : request.result;
}

function batchJson(ctx: RouteContext, batch: FakeBatch) {
  const now = ctx.state.now();
  const ended = now >= endedAt(batch);
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  for (const request of batch.requests) {
    if (!ended && request.doneAt > now) counts.processing++;
    else counts[resultAt(batch, request).type]++;
  }
  return {
    id: batch.id,
    type: 'message_batch',
    processing_status: ended ? 'ended' : batch.cancelAt !== null ? 'canceling' : 'in_progress',
    request_counts: counts,
    ended_at: ended ? iso(endedAt(batch)) : null,
    created_at: iso(batch.createdAt),
    expires_at: iso(batch.createdAt + DAY_MS),
    archived_at: null,
    cancel_initiated_at: batch.cancelAt === null ? null : iso(batch.cancelAt),
    results_url: ended ? `http://${ctx.recorded.headers.host}/v1/messages/batches/${batch.id}/results` : null,
  };
}

async function decide(ctx: RouteContext, params: unknown): Promise<{ doneAt: number; result: Result }> {
  const now = ctx.state.now();
  const recorded: RecordedRequest = { ...ctx.recorded, path: '/v1/messages', body: params, aborted: false };
  try {
    if (params && typeof params === 'object' && (params as { stream?: unknown }).stream === true) {
      throw invalid('stream: Streaming is not supported in Message Batches.');
    }
    const valid = validateRequest(params, 'create', ctx.scope, ctx.apiVersion);
    const plan = await (ctx.state.responder ?? defaultResponder)(recorded);
    const doneAt = now + (plan.delayMs ?? 0);
    if (plan.error) return { doneAt, result: errored(plan.error.type, plan.error.message) };
    const built = buildMessage(plan, valid, ctx.rng);
    const usage = usageJson(ctx.state.cache.apply(valid.layout, valid.model.minCacheTokens), built.outputTokens);
    return { doneAt, result: { type: 'succeeded', message: messageJson(built, usage) } };
  } catch (error) {
    if (error instanceof ApiError) return { doneAt: now, result: errored(error.type, error.message) };
    throw error;
  }
}

function errored(type: string, message: string): Result {
  return { type: 'errored', error: { type: 'error', error: { type, message } } };
}

async function createBatch(ctx: RouteContext): Promise<void> {
  if (ctx.badJson) throw invalid('There was an error parsing the body of your request: invalid JSON.');
  const plan: FakePlan | undefined = ctx.state.responder ? await ctx.state.responder(ctx.recorded) : undefined;
  if (plan?.error) throw new ApiError(plan.error.status, plan.error.message, plan.error.type, plan.error.headers);
  const body = ctx.recorded.body;
  const requests = body?.requests;
  if (!Array.isArray(requests)) throw invalid('requests: Field required');
  if (requests.length === 0) throw invalid('requests: List should have at least 1 item after validation, not 0');
  if (requests.length > MAX_REQUESTS) throw invalid(`requests: List should have at most ${MAX_REQUESTS} items after validation, not ${requests.length}`);
  for (const key of Object.keys(body)) if (key !== 'requests') throw invalid(`${key}: Extra inputs are not permitted`);
  const seen = new Set<string>();
  requests.forEach((request: any, i: number) => {
    if (typeof request?.custom_id !== 'string' || !CUSTOM_ID.test(request.custom_id)) {
      throw invalid(`requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    }
    if (seen.has(request.custom_id)) throw invalid(`Duplicate custom_id: ${request.custom_id}. Each request must have a unique custom_id.`);
    seen.add(request.custom_id);
    if (!request.params || typeof request.params !== 'object') throw invalid(`requests.${i}.params: Field required`);
  });

  const batch: FakeBatch = { id: `msgbatch_${ctx.rng.id(24)}`, createdAt: ctx.state.now(), cancelAt: null, requests: [] };
  for (const request of requests) batch.requests.push({ customId: request.custom_id, ...(await decide(ctx, request.params)) });
  book(ctx.state).set(batch.id, batch);
  sendJson(ctx, 200, batchJson(ctx, batch));
}

function found(ctx: RouteContext): FakeBatch {
  const id = decodeURIComponent(ctx.params[0]!);
  const batch = book(ctx.state).get(id);
  if (!batch) throw new ApiError(404, `message_batch: ${id}`);
  return batch;
}

function listBatches(ctx: RouteContext): void {
  const limit = Number(ctx.query.get('limit') ?? 20);
  const all = [...book(ctx.state).values()].reverse();
  const page = all.slice(0, limit).map((b) => batchJson(ctx, b));
  sendJson(ctx, 200, { data: page, first_id: page[0]?.id ?? null, last_id: page[page.length - 1]?.id ?? null, has_more: all.length > limit });
}

function results(ctx: RouteContext): void {
  const batch = found(ctx);
  if (ctx.state.now() < endedAt(batch)) throw invalid(`Batch ${batch.id} has not finished processing yet; results are available once it has ended.`);
  // Reversed: results come in no guaranteed order, and clients must match them by custom_id.
  const lines = [...batch.requests].reverse().map((r) => `${JSON.stringify({ custom_id: r.customId, result: resultAt(batch, r) })}\n`);
  const text = lines.join('');
  ctx.res.writeHead(200, { 'request-id': ctx.requestId, 'content-type': 'application/binary', 'content-length': String(Buffer.byteLength(text)) });
  ctx.res.end(text);
}

function cancelBatch(ctx: RouteContext): void {
  const batch = found(ctx);
  const now = ctx.state.now();
  if (now < endedAt(batch) && batch.cancelAt === null) batch.cancelAt = now;
  const json = batchJson(ctx, batch);
  // The answer to the cancel call itself still shows the batch winding down.
  sendJson(ctx, 200, json.processing_status === 'ended' && batch.cancelAt === now ? { ...json, processing_status: 'canceling', ended_at: null, results_url: null } : json);
}

function deleteBatch(ctx: RouteContext): void {
  const batch = found(ctx);
  if (ctx.state.now() < endedAt(batch)) throw invalid(`Batch ${batch.id} cannot be deleted while it is processing; cancel it first.`);
  book(ctx.state).delete(batch.id);
  sendJson(ctx, 200, { id: batch.id, type: 'message_batch_deleted' });
}

export const batchesRoutes: Route[] = [
  { method: 'POST', path: /^\/v1\/messages\/batches$/, handle: createBatch },
  { method: 'GET', path: /^\/v1\/messages\/batches$/, handle: listBatches },
  { method: 'GET', path: /^\/v1\/messages\/batches\/([^/]+)$/, handle: (ctx) => sendJson(ctx, 200, batchJson(ctx, found(ctx))) },
  { method: 'GET', path: /^\/v1\/messages\/batches\/([^/]+)\/results$/, handle: results },
  { method: 'POST', path: /^\/v1\/messages\/batches\/([^/]+)\/cancel$/, handle: cancelBatch },
  { method: 'DELETE', path: /^\/v1\/messages\/batches\/([^/]+)$/, handle: deleteBatch },
];
