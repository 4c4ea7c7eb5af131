// Streams an Anthropic SSE response to an OpenAI client. The first upstream event is read before answering,
// so an upstream that says 200 and then fails at once still gets a real error status.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { StreamTransducer, type StreamOutput } from '../../translate/stream.ts';
import type { ResponseContext } from '../../translate/response.ts';
import { fromAnthropicErrorEvent } from '../../translate/upstream-error.ts';
import type { UpstreamResponse } from '../../upstream/anthropic-http.ts';
import { anthropicEvents } from '../../upstream/event-stream.ts';
import { fromTransportError, isAbortError } from '../../upstream/transport-error.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { SseChannel } from '../sse-channel.ts';

export interface StreamJob {
  request: FastifyRequest;
  reply: FastifyReply;
  upstream: UpstreamResponse;
  abort: AbortController;
  responseContext: ResponseContext;
  includeUsage: boolean;
  startedUpstream: number;
}

export async function relayStream(ctx: GatewayContext, job: StreamJob): Promise<FastifyReply> {
  const { request, reply, upstream, abort } = job;
  const record = request.record;
  const transducer = new StreamTransducer({ ...job.responseContext, includeUsage: job.includeUsage });
  const events = anthropicEvents(upstream.body);

  let first: IteratorResult<unknown>;
  try {
    first = await events.next();
  } catch (error) {
    throw error instanceof GatewayError ? error : fromTransportError(error);
  }
  if (first.done) {
    throw new GatewayError({ status: 502, type: 'server_error', code: 'upstream_empty', message: 'The Anthropic API closed the stream without sending anything.' });
  }
  const firstEvent = first.value as Parameters<StreamTransducer['push']>[0];
  if (firstEvent.type === 'error') throw fromAnthropicErrorEvent((firstEvent as { error: { type: string; message: string } }).error);

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
        channel.data(JSON.stringify(output.error));
        ended = true;
      }
    }
  };

  void (async () => {
    try {
      emit(transducer.push(firstEvent));
      for await (const event of events) {
        emit(transducer.push(event as Parameters<StreamTransducer['push']>[0]));
        if (ended) break;
      }
      emit(transducer.end());
      if (!ended) channel.data('[DONE]');
    } catch (error) {
      if (!(isAbortError(error) && record.clientAborted)) {
        // A shutdown past its grace period aborts with a GatewayError as the reason: tell the client that.
        const reason: unknown = abort.signal.reason;
        const failure = reason instanceof GatewayError ? reason : error instanceof GatewayError ? error : fromTransportError(error);
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
  const usage = transducer.usage();
  if (usage) {
    record.usage = {
      prompt: usage.prompt_tokens,
      completion: usage.completion_tokens,
      cacheRead: usage.cache_read_input_tokens,
      cacheWrite: usage.cache_creation_input_tokens,
    };
  }
}
