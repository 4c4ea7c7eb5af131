// POST /v1/chat/completions (and /chat/completions): OpenAI in, Anthropic upstream, OpenAI out. The handler is
// a sequence of stages: plan (chat-plan.ts), a cache hit (chat-cache-hit.ts), the upstream attempt
// (upstream-attempt.ts, through upstream/call.ts), then the JSON answer (chat-json.ts) or the relayed stream.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../gateway/context.ts';
import type { ResponseContext } from '../../translate/response.ts';
import type { StreamAnswer } from '../../upstream/call.ts';
import type { OpenedStream } from '../../upstream/open-stream.ts';
import { SYSTEM_FINGERPRINT } from '../../version.ts';
import { reportStreamError } from '../reliability-hooks.ts';
import { noteAdjustments, noteReduction } from '../route-notes.ts';
import { usesLegacyFunctions } from '../../translate/legacy-functions.ts';
import { answerFromCache } from './chat-cache-hit.ts';
import { noteThinking, thinkingKeeper, thinkingSealer } from './chat-thinking.ts';
import { answerJson, type ChatAnswer } from './chat-json.ts';
import { planChat, type ChatPlan } from './chat-plan.ts';
import { relayStream } from './chat-stream.ts';
import { bindClientAbort } from './client-abort.ts';
import { attemptTranslated } from './upstream-attempt.ts';

export function registerChatCompletions(app: FastifyInstance, ctx: GatewayContext): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => handleChat(ctx, request, reply);
  // After the key check: the repo map's grammars load for the first request that may use them, not at start-up.
  const preHandler = async () => ctx.savings.ready();
  for (const url of ['/v1/chat/completions', '/chat/completions']) {
    app.post(url, { config: { access: 'api', errorShape: 'openai' }, preHandler }, handler);
  }
}

async function handleChat(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply) {
  const record = request.record;
  record.endpoint = 'chat';
  const plan = await planChat(ctx, request, reply);
  const translated = plan.translationFor(plan.routed.model);
  record.stream = plan.stream;
  noteAdjustments(reply, record, translated);
  noteReduction(reply, record, translated);
  const responseContext = responseContextFor(ctx, plan);
  const abort = new AbortController();
  bindClientAbort(reply, abort, record);

  record.cache = plan.cacheKey ? 'MISS' : 'BYPASS';
  reply.header('x-cache', record.cache);
  const cached = plan.cacheKey ? await ctx.savings.lookup(plan.cacheKey) : undefined;
  const keepCached = thinkingKeeper(ctx, translated.params);
  if (cached) return answerFromCache(ctx, request, reply, { message: cached, responseContext, includeUsage: translated.includeUsage, abort, keepThinking: keepCached });

  const startedUpstream = ctx.now();
  const { call, answering } = await attemptTranslated(ctx, request, reply, plan, { signal: abort.signal });
  responseContext.model = call.model;
  responseContext.customToolNames = answering.customToolNames;
  const pluginRounds = plan.turn?.pluginRounds === true;
  responseContext.sealThinking = thinkingSealer(ctx, answering.params, pluginRounds);
  noteThinking(reply, request.record, answering.thinkingReport, call.value);
  // A fallback model's answer is cached under its own request, not the one the routed model would have had.
  const storeKey = plan.cacheKey && call.model === plan.routed.model ? plan.cacheKey : undefined;
  const keepThinking = thinkingKeeper(ctx, answering.params, pluginRounds);
  const job = { translated: answering, turn: plan.turn, responseContext, abort, startedUpstream, storeKey, keepThinking };
  const answer = call.value;
  if (answer.kind === 'body') return answerJson(ctx, request, reply, { ...job, call: { ...call, value: answer } });
  return answerStream(ctx, request, reply, { ...job, call: { ...call, value: answer } });
}

function responseContextFor(ctx: GatewayContext, plan: ChatPlan): ResponseContext {
  return {
    id: `chatcmpl-${ctx.newId()}`,
    created: Math.floor(ctx.now() / 1000),
    model: plan.routed.model,
    systemFingerprint: SYSTEM_FINGERPRINT,
    customToolNames: plan.translationFor(plan.routed.model).customToolNames,
    legacyFunctions: usesLegacyFunctions(plan.chat),
    sealThinking: thinkingSealer(ctx, plan.translationFor(plan.routed.model).params),
  };
}

function answerStream(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply, job: ChatAnswer<StreamAnswer<OpenedStream>>) {
  const { call, turn, storeKey } = job;
  const opened = call.value.opened;
  return relayStream(ctx, {
    request,
    reply,
    abort: job.abort,
    responseContext: job.responseContext,
    includeUsage: job.translated.includeUsage,
    startedUpstream: job.startedUpstream,
    opened: turn ? turn.stream(opened, { model: call.model, params: job.translated.params, signal: job.abort.signal }) : opened,
    onError: (error, status) => reportStreamError(ctx, request, error, status),
    ...(storeKey && { onMessage: (message) => ctx.savings.store(storeKey, message) }),
    keepThinking: job.keepThinking,
  });
}
