// POST /v1/messages and POST /v1/messages/count_tokens.
import { ApiError, invalid } from './api-error.ts';
import type { Route, RouteContext } from './context.ts';
import { baseHeaders, sendError, sendJson } from './http-out.ts';
import { buildMessage, messageJson, usageJson } from './message-builder.ts';
import { betasOf } from './preserved-thinking.ts';
import { defaultResponder } from './responder.ts';
import { streamEvents } from './stream-events.ts';
import { writeStream } from './stream-writer.ts';
import type { FakePlan } from './types.ts';
import { validateRequest, type RequestKind } from './validate.ts';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

function validBody(ctx: RouteContext, kind: RequestKind) {
  if (ctx.badJson) throw invalid('There was an error parsing the body of your request: invalid JSON.');
  return validateRequest(ctx.recorded.body, kind, ctx.scope, ctx.apiVersion, betasOf(ctx.recorded.headers['anthropic-beta']));
}

function planError(plan: FakePlan): ApiError {
  const e = plan.error!;
  const headers = { ...(e.headers ?? {}) };
  // A rate limit tells the client when to come back.
  if (e.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) headers['retry-after'] = '1';
  return new ApiError(e.status, e.message, e.type, headers);
}

async function createMessage(ctx: RouteContext): Promise<void> {
  const valid = validBody(ctx, 'create');
  const plan = await (ctx.state.responder ?? defaultResponder)(ctx.recorded);
  // A hanging request stays open until the client or close() ends it.
  if (plan.hang) return;
  if (plan.delayMs) await ctx.state.sleeper.sleep(plan.delayMs);
  if (ctx.res.destroyed) return;
  if (plan.error) return sendError(ctx, planError(plan));

  const built = buildMessage(plan, valid, ctx.rng);
  // The cache entry becomes readable once the response begins, so reads and writes happen here.
  const usage = usageJson(ctx.state.cache.apply(valid.layout, valid.model.minCacheTokens), built.outputTokens);
  if (valid.body.stream !== true) return sendJson(ctx, 200, messageJson(built, usage), plan.headers);
  await writeStream(
    {
      res: ctx.res,
      headers: { ...baseHeaders(ctx.requestId), ...STREAM_HEADERS, ...plan.headers },
      sleeper: ctx.state.sleeper,
      markServerDrop: ctx.markServerDrop,
    },
    streamEvents(built, usage, ctx.rng),
    plan,
  );
}

function countTokens(ctx: RouteContext): void {
  const valid = validBody(ctx, 'count_tokens');
  sendJson(ctx, 200, { input_tokens: valid.layout.totalTokens });
}

export const messagesRoutes: Route[] = [
  { method: 'POST', path: /^\/v1\/messages$/, handle: createMessage },
  { method: 'POST', path: /^\/v1\/messages\/count_tokens$/, handle: countTokens },
];
