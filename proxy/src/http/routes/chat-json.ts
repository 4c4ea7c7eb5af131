// The non-streamed chat answer: the first round's message (after any plugin rounds), translated to a chat
// completion, remembered (thinking, response cache), recorded and sent.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../gateway/context.ts';
import type { CallResult } from '../../reliability/resilient-call.ts';
import type { ChatTurn } from '../../tools/chat-extensions.ts';
import type { ReducedRequest } from '../../gateway/chat-savings.ts';
import { toChatCompletion, type ResponseContext } from '../../translate/response.ts';
import type { ThinkingCarry } from '../../translate/thinking.ts';
import type { BodyAnswer } from '../../upstream/call.ts';
import { recordUsage } from '../../usage/from-anthropic.ts';

/** What every chat answer stage gets: the call's outcome and what the client's answer is built from. */
export interface ChatAnswer<A> {
  call: CallResult<A>;
  /** The request the answering model was sent. */
  translated: ReducedRequest;
  turn: ChatTurn | undefined;
  responseContext: ResponseContext;
  abort: AbortController;
  startedUpstream: number;
  /** Where the answer goes in the response cache, when it may be cached. */
  storeKey: string | undefined;
  /** Keeps a tool turn's thinking with what it is bound to (chat-thinking.ts). */
  keepThinking: (carry: ThinkingCarry) => Promise<void>;
}

export async function answerJson(ctx: Pick<GatewayContext, 'savings' | 'now'>, request: FastifyRequest, reply: FastifyReply, job: ChatAnswer<BodyAnswer>) {
  const record = request.record;
  const { call, turn } = job;
  const first = call.value.json as Message;
  const message = turn ? await turn.complete(first, { model: call.model, params: job.translated.params, signal: job.abort.signal }) : first;
  record.firstByteMs = ctx.now() - job.startedUpstream;
  const { completion, thinking } = toChatCompletion(message, job.responseContext);
  // Kept before the answer goes out: the client's next turn may reach another replica at once.
  if (thinking) await job.keepThinking(thinking);
  if (job.storeKey) ctx.savings.store(job.storeKey, message);
  record.usage = recordUsage(message?.usage ?? {});
  record.finishReason = completion.choices[0]?.finish_reason ?? null;
  return reply.code(200).send(completion);
}
