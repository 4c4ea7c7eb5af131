// POST /v1/chat/completions (and /chat/completions): OpenAI in, Anthropic upstream, OpenAI out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SYSTEM_FINGERPRINT } from '../../version.ts';
import { capabilitiesFor } from '../../models/catalog.ts';
import { capCapabilities, capMaxTokens, policyOf, withDefaultModel, withNote } from '../../projects/policy-apply.ts';
import { oneHourCacheWrites } from '../../usage/cache-ttl.ts';
import { UpstreamAttemptError, httpFailure } from '../../reliability/attempt-failure.ts';
import { modelsToTry } from '../../reliability/fallback-chain.ts';
import { callWithReliability } from '../../reliability/resilient-call.ts';
import { projectRoutingOf } from '../../routing/project-policy.ts';
import { tryResolveModel } from '../../routing/resolve-model.ts';
import { routingInputFromChat } from '../../routing/routing-input.ts';
import { normalizeChatRequest } from '../../translate/normalize.ts';
import { toAnthropicRequest, type TranslatedRequest } from '../../translate/request.ts';
import { toChatCompletion, type ResponseContext } from '../../translate/response.ts';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { fromTransportError } from '../../upstream/transport-error.ts';
import { summarizeRoles } from '../request-context.ts';
import { reductionHeader, type ReducedRequest } from '../chat-savings.ts';
import { answerFromCache } from './chat-cache-hit.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { reportStreamError } from '../reliability-hooks.ts';
import { noteCall, noteRoute, requestExtras } from '../route-notes.ts';
import { openStream, relayStream, type OpenedStream } from './chat-stream.ts';
import { bindClientAbort, readUpstreamJson } from './upstream-call.ts';

export function registerChatCompletions(app: FastifyInstance, ctx: GatewayContext): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => handleChat(ctx, request, reply);
  for (const url of ['/v1/chat/completions', '/chat/completions']) {
    app.post(url, { config: { access: 'api', errorShape: 'openai' } }, handler);
  }
}

async function handleChat(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply) {
  const record = request.record;
  record.endpoint = 'chat';
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    record.fields = Object.keys(body).sort();
  }

  // The caller's project may name a default model and cap max_tokens.
  const policy = policyOf(request);
  const chat = normalizeChatRequest(withDefaultModel(body, policy));
  const capNote = capMaxTokens(chat, policy);
  record.requestedModel = chat.model;
  record.messages = chat.messages.length;
  record.roles = summarizeRoles(chat.messages);
  record.tools = (chat.tools?.length ?? 0) + (chat.functions?.length ?? 0);

  const project = projectRoutingOf(request);
  record.projectId ??= project.id;
  const routed = await ctx.router.route({ requested: chat.model, project, input: () => routingInputFromChat(chat) });
  noteRoute(reply, record, routed);
  if (routed.outcome) requestExtras(request).ticket = routed.outcome;

  // Memory and plugin tools, when on: decided once per request, applied to every model's translation.
  const turn = await ctx.chatExtensions?.begin(request, chat);
  const translateFor = (model: string) => {
    const translated = withNote(
      toAnthropicRequest(chat, {
        model,
        capabilities: capCapabilities(capabilitiesFor(model), policy),
        lookupThinking: ctx.thinking.lookup,
      }),
      capNote,
    );
    return ctx.savings.reduce(turn ? turn.prepare(translated) : translated, policy);
  };
  const translated = translateFor(routed.model);
  record.stream = translated.params.stream === true;
  noteAdjustments(reply, record, translated);
  noteReduction(reply, record, translated);

  const responseContext: ResponseContext = {
    id: `chatcmpl-${ctx.newId()}`,
    created: Math.floor(ctx.now() / 1000),
    model: routed.model,
    systemFingerprint: SYSTEM_FINGERPRINT,
    customToolNames: translated.customToolNames,
  };

  const abort = new AbortController();
  bindClientAbort(reply, abort, record);

  // Exact-match response cache; answers that pass through memory or plugin tools are never cached.
  const cacheKey = turn ? undefined : ctx.savings.cacheKey(chat, translated.params, request.headers, policy);
  record.cache = cacheKey ? 'MISS' : 'BYPASS';
  reply.header('x-cache', record.cache);
  const cached = cacheKey ? await ctx.savings.lookup(cacheKey) : undefined;
  if (cached) return answerFromCache(ctx, request, reply, { message: cached, responseContext, includeUsage: translated.includeUsage, abort });

  const startedUpstream = ctx.now();
  // Everything up to the first byte for the client is one attempt: retried, or handed to a fallback model, on
  // an upstream failure. A stream's opening events are part of it, so an error there is still retryable.
  const models = modelsToTry(routed.model, project.fallbackChain ?? ctx.config.fallbackChain, (name) => tryResolveModel(name, ctx.config));
  const call = await callWithReliability(
    ctx.reliability.call,
    { requestId: request.id, projectId: project.id, signal: abort.signal, models },
    async (model, attemptNumber) => {
      record.attempts = attemptNumber;
      const attempt = model === routed.model ? translated : translateFor(model);
      const payload = JSON.stringify(attempt.params);
      record.bodyBytes = payload.length;
      let upstream;
      try {
        upstream = await ctx.upstream.send({
          path: '/v1/messages',
          body: payload,
          signal: abort.signal,
          headers: { accept: record.stream ? 'text/event-stream' : 'application/json' },
        });
      } catch (error) {
        throw fromTransportError(error);
      }
      record.upstreamStatus = upstream.statusCode;
      if (upstream.statusCode !== 200) {
        const errorBody = await readUpstreamJson(upstream);
        throw new UpstreamAttemptError(httpFailure(upstream.statusCode, errorBody, upstream.headers, ctx.now()));
      }
      if (!record.stream) return { translated: attempt, upstream, message: await readUpstreamJson(upstream), opened: undefined };
      let opened: OpenedStream;
      try {
        opened = await openStream(upstream, ctx.config.keepAliveMs);
      } catch (error) {
        upstream.body.destroy();
        throw error;
      }
      return { translated: attempt, upstream, message: undefined, opened };
    },
  );
  noteCall(reply, record, call);
  if (call.model !== routed.model) {
    noteAdjustments(reply, record, call.value.translated);
    noteReduction(reply, record, call.value.translated);
  }
  // A fallback model's answer is cached under its own request, not the one the routed model would have had.
  const storeKey = cacheKey && call.model === routed.model ? cacheKey : undefined;
  const { upstream, opened } = call.value;
  responseContext.model = call.model;
  responseContext.customToolNames = call.value.translated.customToolNames;

  if (!record.stream) {
    const first = call.value.message;
    const message = turn ? await turn.complete(first as Message, { model: call.model, params: call.value.translated.params, signal: abort.signal }) : first;
    record.firstByteMs = ctx.now() - startedUpstream;
    const { completion, thinking } = toChatCompletion(message as never, responseContext);
    if (thinking) ctx.thinking.remember(thinking);
    if (storeKey) ctx.savings.store(storeKey, message as Message);
    const usage = completion.usage as unknown as Record<string, number> & { prompt_tokens_details?: { cached_tokens: number } } | undefined;
    if (usage) {
      record.usage = {
        prompt: usage.prompt_tokens ?? 0,
        completion: usage.completion_tokens ?? 0,
        cacheRead: usage.cache_read_input_tokens ?? 0,
        cacheWrite: usage.cache_creation_input_tokens ?? 0,
        cacheWrite1h: oneHourCacheWrites((message as { usage?: unknown } | undefined)?.usage),
      };
    }
    record.finishReason = completion.choices[0]?.finish_reason ?? null;
    return reply.code(200).send(completion);
  }

  return relayStream(ctx, {
    request,
    reply,
    upstream,
    abort,
    responseContext,
    includeUsage: call.value.translated.includeUsage,
    startedUpstream,
    ...(opened && { opened: turn ? turn.stream(opened, { model: call.model, params: call.value.translated.params, signal: abort.signal }) : opened }),
    onError: (error, status) => reportStreamError(ctx, request, error, status),
    ...(storeKey && { onMessage: (message: Message) => ctx.savings.store(storeKey, message) }),
  });
}

function noteReduction(reply: FastifyReply, record: FastifyRequest['record'], translated: TranslatedRequest): void {
  const report = (translated as Partial<ReducedRequest>).reduction;
  if (!report) return;
  record.reduction = { tokensBefore: report.tokensBefore, tokensAfter: report.tokensAfter, byLayer: report.byLayer };
  reply.header('x-reduction', reductionHeader(report));
}

function noteAdjustments(reply: FastifyReply, record: FastifyRequest['record'], translated: TranslatedRequest): void {
  if (translated.adjustments.length === 0) return;
  record.adjustments = translated.adjustments;
  reply.header('x-gateway-adjustments', translated.adjustments.join('; ').replace(/[^\x20-\x7e]/g, '?'));
}
