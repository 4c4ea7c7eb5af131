// Answers a request from the response cache: the stored Anthropic message goes through the same translation
// as a live one, as JSON or replayed as a proper stream. Nothing is sent upstream and nothing is billed.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { messageToEvents } from '../../translate/message-events.ts';
import { toChatCompletion, type ResponseContext } from '../../translate/response.ts';
import type { ThinkingCarry } from '../../translate/thinking.ts';
import type { AnthropicStreamEvent } from '../../translate/message-fold.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { relayStream } from './chat-stream.ts';

export interface CachedAnswer {
  message: Message;
  responseContext: ResponseContext;
  includeUsage: boolean;
  abort: AbortController;
  /** Keeps the thinking of a cached tool turn, bound to the request it answers. */
  keepThinking?: (carry: ThinkingCarry) => Promise<void>;
}

async function* nothingMore(): AsyncGenerator<AnthropicStreamEvent> {}

export async function answerFromCache(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply, hit: CachedAnswer) {
  const record = request.record;
  record.cache = 'HIT';
  record.upstreamStatus = undefined;
  reply.header('x-cache', 'HIT');
  const started = ctx.now();
  if (!record.stream) {
    const { completion, thinking } = toChatCompletion(hit.message, hit.responseContext);
    if (thinking) await hit.keepThinking?.(thinking);
    record.firstByteMs = ctx.now() - started;
    record.finishReason = completion.choices[0]?.finish_reason ?? null;
    return reply.code(200).send(completion);
  }
  return relayStream(ctx, {
    request,
    reply,
    abort: hit.abort,
    responseContext: hit.responseContext,
    includeUsage: hit.includeUsage,
    startedUpstream: started,
    opened: { events: nothingMore(), opening: { events: messageToEvents(hit.message) as AnthropicStreamEvent[] } },
    ...(hit.keepThinking && { keepThinking: hit.keepThinking }),
  });
}
