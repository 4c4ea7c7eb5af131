// POST /v1/responses (and /responses): the OpenAI Responses API on Claude, on the chat path's pipeline
// (routing, reduction, response cache, retries and fallback, rate limits, usage records, metrics).
// Stages: plan (responses-plan.ts) → cache hit or upstream attempt (responses-attempt.ts) → answer as one
// response object or as the Responses event stream (responses-stream.ts) → keep what a later turn needs.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toFinishReason } from '../../translate/finish-reason.ts';
import { withItemIds } from '../../translate/responses/input-list.ts';
import { forClient, thinkingCarryOf, toResponse } from '../../translate/responses/output.ts';
import { oneHourCacheWrites } from '../../usage/cache-ttl.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { noteAdjustments, noteCall, noteReduction } from '../route-notes.ts';
import { attemptResponses } from './responses-attempt.ts';
import { planResponses, type ResponsesPlan } from './responses-plan.ts';
import { createResponsesService, type ResponsesService } from './responses-service.ts';
import { registerStoredResponses } from './responses-stored.ts';
import { relayResponsesStream } from './responses-stream.ts';
import { bindClientAbort } from './upstream-call.ts';
import { messageToEvents } from '../../translate/message-events.ts';

export function registerResponses(app: FastifyInstance, ctx: GatewayContext): void {
  const service = createResponsesService(ctx.config, ctx.store.db, ctx.now);
  const options = { config: { access: 'api' as const, errorShape: 'openai' as const } };
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/responses`, options, (request, reply) => handleResponses(ctx, service, request, reply));
  }
  registerStoredResponses(app, ctx, service);
}

async function handleResponses(ctx: GatewayContext, service: ResponsesService, request: FastifyRequest, reply: FastifyReply) {
  const record = request.record;
  record.endpoint = 'responses';
  const plan = await planResponses(ctx, service, request, reply);
  const abort = new AbortController();
  bindClientAbort(reply, abort, record);
  const finish = (message: Message, model: string, cacheable: boolean) => keep(ctx, service, request, plan, { message, model, cacheable });

  record.cache = plan.cacheKey ? 'MISS' : 'BYPASS';
  reply.header('x-cache', record.cache);
  const cached = plan.cacheKey ? await ctx.savings.lookup(plan.cacheKey) : undefined;
  if (cached) {
    record.cache = 'HIT';
    reply.header('x-cache', 'HIT');
    return answer(ctx, request, reply, plan, { message: cached, abort, started: ctx.now(), finish: (m) => finish(m, plan.routed.model, false) });
  }

  const started = ctx.now();
  const call = await attemptResponses(ctx, request, plan, abort.signal);
  noteCall(reply, record, call);
  if (call.model !== plan.routed.model) {
    noteAdjustments(reply, record, call.value.translated);
    noteReduction(reply, record, call.value.translated);
  }
  plan.context.model = call.model;
  plan.context.customToolNames = call.value.translated.customToolNames;
  const cacheable = plan.cacheKey !== undefined && call.model === plan.routed.model;
  const done = (m: Message) => finish(m, call.model, cacheable);
  if (call.value.opened) return relayResponsesStream(ctx, { request, reply, plan, abort, started, opened: call.value.opened, onMessage: done });
  return answer(ctx, request, reply, plan, { message: call.value.message!, abort, started, finish: done });
}

interface Answer {
  message: Message;
  abort: AbortController;
  started: number;
  finish: (message: Message) => Record<string, unknown>;
}

/** A whole message (fresh or cached) as JSON, or replayed as a stream when the client asked for one. */
async function* nothingMore(): AsyncGenerator<never> {}

function answer(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply, plan: ResponsesPlan, a: Answer) {
  if (request.record.stream) {
    const opened = { events: nothingMore(), opening: { events: messageToEvents(a.message) as never[] } };
    return relayResponsesStream(ctx, { request, reply, plan, abort: a.abort, started: a.started, opened, onMessage: a.finish });
  }
  request.record.firstByteMs = ctx.now() - a.started;
  const response = a.finish(a.message);
  return reply.code(200).send(forClient(response, plan.normalized.options.includeEncryptedReasoning));
}

interface Finished {
  message: Message;
  model: string;
  cacheable: boolean;
}

/** Once a message is complete: the usage record, the thinking and the stored response a later turn needs. */
function keep(ctx: GatewayContext, service: ResponsesService, request: FastifyRequest, plan: ResponsesPlan, done: Finished): Record<string, unknown> {
  const { message } = done;
  const record = request.record;
  const response = toResponse(message, { ...plan.context, model: done.model }, Math.floor(ctx.now() / 1000));
  const usage = message.usage;
  if (usage) {
    record.usage = {
      prompt: (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
      completion: usage.output_tokens ?? 0,
      cacheRead: usage.cache_read_input_tokens ?? 0,
      cacheWrite: usage.cache_creation_input_tokens ?? 0,
      cacheWrite1h: oneHourCacheWrites(usage),
    };
  }
  record.finishReason = toFinishReason(message.stop_reason);
  const carry = thinkingCarryOf(message);
  if (carry) ctx.thinking.remember(carry);
  if (done.cacheable && plan.cacheKey) ctx.savings.store(plan.cacheKey, message);
  const { options, input } = plan.normalized;
  if (options.store) {
    service.store.save(
      {
        id: plan.context.id,
        projectId: plan.project.id,
        ...(options.previousResponseId && { previousResponseId: options.previousResponseId }),
        createdMs: ctx.now(),
        inputItems: withItemIds(input, plan.context.id),
        response,
      },
      service.retentionMs,
    );
  }
  return response;
}
