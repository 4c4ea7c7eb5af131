// POST /v1/responses (and /responses): the OpenAI Responses API on Claude, on the chat path's pipeline
// (routing, reduction, response cache, retries and fallback, rate limits, usage records, metrics).
// Stages: plan (responses-plan.ts) → a cache hit, or the shared upstream attempt (upstream-attempt.ts, through
// upstream/call.ts) → the answer as one response object or as the Responses event stream (responses-stream.ts)
// → what a later turn needs kept (responses-keep.ts).
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../gateway/context.ts';
import { messageToEvents } from '../../translate/message-events.ts';
import type { AnthropicStreamEvent } from '../../translate/message-fold.ts';
import { forClient } from '../../translate/responses/output.ts';
import type { OpenedStream } from '../../upstream/open-stream.ts';
import { noteAdjustments, noteReduction } from '../route-notes.ts';
import { noteThinking } from './chat-thinking.ts';
import { bindClientAbort } from './client-abort.ts';
import { keepAnswer } from './responses-keep.ts';
import { planResponses, type ResponsesPlan } from './responses-plan.ts';
import { createResponsesService, type ResponsesService } from './responses-service.ts';
import { registerStoredResponses } from './responses-stored.ts';
import { relayResponsesStream } from './responses-stream.ts';
import { attemptTranslated } from './upstream-attempt.ts';

export function registerResponses(app: FastifyInstance, ctx: GatewayContext): void {
  const service = createResponsesService(ctx.config, ctx.store.db, ctx.now, ctx.remoteResponses);
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
  const translated = plan.translationFor(plan.routed.model);
  record.stream = plan.stream;
  noteAdjustments(reply, record, translated);
  noteReduction(reply, record, translated);
  const abort = new AbortController();
  bindClientAbort(reply, abort, record);
  const finish = (model: string, cacheable: boolean) => (message: Message) => keepAnswer(ctx, service, request, plan, { message, model, cacheable });

  record.cache = plan.cacheKey ? 'MISS' : 'BYPASS';
  reply.header('x-cache', record.cache);
  const cached = plan.cacheKey ? await ctx.savings.lookup(plan.cacheKey) : undefined;
  if (cached) {
    record.cache = 'HIT';
    reply.header('x-cache', 'HIT');
    return answer(ctx, request, reply, plan, { message: cached, abort, started: ctx.now(), finish: finish(plan.routed.model, false) });
  }

  const started = ctx.now();
  const { call, answering } = await attemptTranslated(ctx, request, reply, plan, { signal: abort.signal });
  plan.context.model = call.model;
  plan.context.customToolNames = answering.customToolNames;
  noteThinking(reply, record, answering.thinkingReport, call.value);
  // A fallback model's answer is cached under its own request, not the one the routed model would have had.
  const done = finish(call.model, plan.cacheKey !== undefined && call.model === plan.routed.model);
  const value = call.value;
  if (value.kind === 'stream') return relayResponsesStream(ctx, { request, reply, plan, abort, started, opened: value.opened, onMessage: done });
  return answer(ctx, request, reply, plan, { message: value.json as Message, abort, started, finish: done });
}

interface WholeAnswer {
  message: Message;
  abort: AbortController;
  started: number;
  finish: (message: Message) => Record<string, unknown>;
}

async function* nothingMore(): AsyncGenerator<AnthropicStreamEvent> {}

/** A whole message (fresh or cached) as JSON, or replayed as the event stream when the client asked for one. */
function answer(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply, plan: ResponsesPlan, a: WholeAnswer) {
  if (plan.stream) {
    const opened: OpenedStream = { events: nothingMore(), opening: { events: messageToEvents(a.message) } };
    return relayResponsesStream(ctx, { request, reply, plan, abort: a.abort, started: a.started, opened, onMessage: a.finish });
  }
  request.record.firstByteMs = ctx.now() - a.started;
  const response = a.finish(a.message);
  return reply.code(200).send(forClient(response, plan.normalized.options.includeEncryptedReasoning));
}
