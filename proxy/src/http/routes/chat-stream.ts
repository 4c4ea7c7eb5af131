// Streams an Anthropic SSE response to an OpenAI client. The first upstream event is read before answering,
// so an upstream that says 200 and then fails at once still gets a real error status.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, type OpenAIErrorBody } from '../../errors.ts';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { MessageAccumulator } from '../../translate/message-events.ts';
import { recordUsage } from '../../usage/from-anthropic.ts';
import { StreamTransducer, type StreamOutput } from '../../translate/stream.ts';
import type { ResponseContext } from '../../translate/response.ts';
import type { ThinkingCarry } from '../../translate/thinking.ts';
import type { AnthropicStreamEvent } from '../../translate/message-fold.ts';
import type { OpenedStream } from '../../upstream/open-stream.ts';
import { fromTransportError, isAbortError } from '../../upstream/transport-error.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { SseChannel } from '../sse-channel.ts';

export interface StreamJob {
  request: FastifyRequest;
  reply: FastifyReply;
  abort: AbortController;
  responseContext: ResponseContext;
  includeUsage: boolean;
  startedUpstream: number;
  /** The stream, its opening already read (so a failure there could still be retried), or a cached answer replayed. */
  opened: OpenedStream;
  /** Called with an error that ends the stream after the client got its 200. */
  onError?: (error: OpenAIErrorBody['error'], status: number) => void;
  /** Receives the whole message once the stream ended cleanly (the response cache keeps it). */
  onMessage?: (message: Message) => void;
  /** Keeps a tool turn's thinking; the stream's last frame waits for it, so the next turn finds it anywhere. */
  keepThinking?: (carry: ThinkingCarry) => Promise<void>;
}

export async function relayStream(ctx: GatewayContext, job: StreamJob): Promise<FastifyReply> {
  const { request, reply, abort } = job;
  const record = request.record;
  const transducer = new StreamTransducer({ ...job.responseContext, includeUsage: job.includeUsage });
  const { events, opening } = job.opened;
  const accumulator = job.onMessage ? new MessageAccumulator() : undefined;

  const channel = new SseChannel(ctx.now, ctx.config.keepAliveMs);
  channel.open(reply);
  ctx.activeStreams.add(abort);
  let ended = false;
  const emit = (outputs: StreamOutput[]) => {
    for (const output of outputs) {
      if (ended) return;
      if (output.kind === 'chunk') {
        if (record.firstByteMs === undefined) record.firstByteMs = ctx.now() - job.startedUpstream;
        channel.data(JSON.stringify(output.chunk));
      } else {
        record.errorType = output.error.error.code ?? output.error.error.type;
        job.onError?.(output.error.error, output.status);
        channel.data(JSON.stringify(output.error));
        ended = true;
      }
    }
  };

  let thinkingKept = false;
  let keeping: Promise<void> | undefined;
  const feed = (event: AnthropicStreamEvent) => {
    accumulator?.push(event);
    const outputs = transducer.push(event);
    // Kept before the client sees the end of the stream: its next request (the tool results) needs the
    // signed thinking blocks back, and OpenAI clients never send them.
    if (transducer.done && !thinkingKept && !outputs.some((o) => o.kind === 'error')) {
      thinkingKept = true;
      const carry = transducer.thinking();
      if (carry) keeping = job.keepThinking?.(carry);
      const message = accumulator?.message();
      if (message) job.onMessage?.(message);
    }
    emit(outputs);
  };

  void (async () => {
    try {
      for (const event of opening.events) feed(event);
      if (opening.pendingNext) {
        const next = await opening.pendingNext;
        if (!next.done) feed(next.value);
      }
      for await (const event of events) {
        feed(event);
        if (ended) break;
      }
      emit(transducer.end());
      await keeping;
      if (!ended) channel.data('[DONE]');
    } catch (error) {
      if (!(isAbortError(error) && record.clientAborted)) {
        // A shutdown past its grace period aborts with a GatewayError as the reason: tell the client that.
        const reason: unknown = abort.signal.reason;
        const failure = reason instanceof GatewayError ? reason : error instanceof GatewayError ? error : midStreamFailure(error);
        emit([{ kind: 'error', status: failure.status, error: failure.toJSON() }]);
      }
    } finally {
      finishRecord(record, transducer);
      ctx.activeStreams.delete(abort);
      channel.close();
      if (!transducer.done) abort.abort();
    }
  })();
  return reply;
}

function finishRecord(record: FastifyRequest['record'], transducer: StreamTransducer): void {
  record.finishReason = transducer.finishReason();
  const usage = transducer.anthropicUsage();
  if (usage) record.usage = recordUsage(usage);
}

/** After the client got its 200, a lost connection is an interrupted stream, not an unreachable API. */
function midStreamFailure(error: unknown): GatewayError {
  const mapped = fromTransportError(error);
  if (mapped.code !== 'upstream_unreachable') return mapped;
  return new GatewayError({
    status: 502,
    type: 'server_error',
    code: 'upstream_stream_interrupted',
    message: 'The connection to the Anthropic API was lost in the middle of the answer.',
  });
}
