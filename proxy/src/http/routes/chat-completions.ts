// POST /v1/chat/completions (and /chat/completions): OpenAI in, Anthropic upstream, OpenAI out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SYSTEM_FINGERPRINT } from '../../version.ts';
import { capabilitiesFor } from '../../models/catalog.ts';
import { resolveModel } from '../../routing/resolve-model.ts';
import { normalizeChatRequest } from '../../translate/normalize.ts';
import { toAnthropicRequest, type TranslatedRequest } from '../../translate/request.ts';
import { toChatCompletion, type ResponseContext } from '../../translate/response.ts';
import { fromAnthropicError } from '../../translate/upstream-error.ts';
import { fromTransportError } from '../../upstream/transport-error.ts';
import { summarizeRoles } from '../request-context.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { relayStream } from './chat-stream.ts';
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

  const chat = normalizeChatRequest(body);
  record.requestedModel = chat.model;
  record.messages = chat.messages.length;
  record.roles = summarizeRoles(chat.messages);
  record.tools = (chat.tools?.length ?? 0) + (chat.functions?.length ?? 0);

  const resolved = resolveModel(chat.model, ctx.config);
  record.model = resolved.model;
  record.modelSource = resolved.source;
  reply.header('x-model-source', resolved.source);
  reply.header('x-routed-model', resolved.model);

  const translated = toAnthropicRequest(chat, {
    model: resolved.model,
    capabilities: capabilitiesFor(resolved.model),
    lookupThinking: ctx.thinking.lookup,
  });
  record.stream = translated.params.stream === true;
  noteAdjustments(reply, record, translated);

  const responseContext: ResponseContext = {
    id: `chatcmpl-${ctx.newId()}`,
    created: Math.floor(ctx.now() / 1000),
    model: resolved.model,
    systemFingerprint: SYSTEM_FINGERPRINT,
    customToolNames: translated.customToolNames,
  };

  const abort = new AbortController();
  bindClientAbort(reply, abort, record);

  const payload = JSON.stringify(translated.params);
  record.bodyBytes = payload.length;
  const startedUpstream = ctx.now();
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
    throw fromAnthropicError(upstream.statusCode, errorBody, flatHeaders(upstream.headers));
  }

  if (!record.stream) {
    const message = await readUpstreamJson(upstream);
    record.firstByteMs = ctx.now() - startedUpstream;
    const { completion, thinking } = toChatCompletion(message as never, responseContext);
    if (thinking) ctx.thinking.remember(thinking);
    const usage = completion.usage as unknown as Record<string, number> & { prompt_tokens_details?: { cached_tokens: number } } | undefined;
    if (usage) {
      record.usage = {
        prompt: usage.prompt_tokens ?? 0,
        completion: usage.completion_tokens ?? 0,
        cacheRead: usage.cache_read_input_tokens ?? 0,
        cacheWrite: usage.cache_creation_input_tokens ?? 0,
      };
    }
    record.finishReason = completion.choices[0]?.finish_reason ?? null;
    return reply.code(200).send(completion);
  }

  return relayStream(ctx, { request, reply, upstream, abort, responseContext, includeUsage: translated.includeUsage, startedUpstream });
}

function noteAdjustments(reply: FastifyReply, record: FastifyRequest['record'], translated: TranslatedRequest): void {
  if (translated.adjustments.length === 0) return;
  record.adjustments = translated.adjustments;
  reply.header('x-gateway-adjustments', translated.adjustments.join('; ').replace(/[^\x20-\x7e]/g, '?'));
}

export function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
