// Streams a Responses answer: Anthropic events in, Responses events out (`event:` named, numbered), keep-alive
// comments while the model is silent. What a later turn needs is kept before the final event is written, so a
// client that continues at once with `previous_response_id` finds the stored response.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { ResponsesStreamTransducer, type ResponsesEvent } from '../../translate/responses/stream.ts';
import { fromTransportError, isAbortError } from '../../upstream/transport-error.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import type { AnthropicStreamEvent } from '../../translate/message-fold.ts';
import type { OpenedStream } from '../../upstream/open-stream.ts';
import { recordUsage } from '../../usage/from-anthropic.ts';
import { reportStreamError } from '../reliability-hooks.ts';
import { SseChannel } from '../sse-channel.ts';
import type { ResponsesPlan } from './responses-plan.ts';

export interface ResponsesStreamJob {
  request: FastifyRequest;
  reply: FastifyReply;
  plan: ResponsesPlan;
  abort: AbortController;
  started: number;
  opened: OpenedStream;
  onMessage: (message: Message) => unknown;
}

export function relayResponsesStream(ctx: GatewayContext, job: ResponsesStreamJob): FastifyReply {
  const { request, reply, abort } = job;
  const record = request.record;
  const transducer = new ResponsesStreamTransducer(job.plan.context, job.plan.normalized.options.includeEncryptedReasoning);
  const channel = new SseChannel(ctx.now, ctx.config.keepAliveMs);
  channel.open(reply);
  ctx.activeStreams.add(abort);
  let kept = false;

  const emit = (events: ResponsesEvent[]) => {
    for (const event of events) {
      if (record.firstByteMs === undefined) record.firstByteMs = ctx.now() - job.started;
      if (event.type === 'response.failed') noteFailure(ctx, request, transducer.failedWith());
      channel.event(event.type, JSON.stringify(event));
    }
  };
  const feed = (event: AnthropicStreamEvent) => {
    const events = transducer.push(event, Math.floor(ctx.now() / 1000));
    const message = transducer.message();
    if (!kept && message && transducer.done) {
      kept = true;
      job.onMessage(message);
    }
    emit(events);
  };

  void (async () => {
    try {
      const { events, opening } = job.opened;
      for (const event of opening.events) feed(event);
      if (opening.pendingNext) {
        const next = await opening.pendingNext;
        if (!next.done) feed(next.value);
      }
      for await (const event of events) {
        feed(event);
        if (transducer.done) break;
      }
      if (!transducer.done) emit(transducer.fail(endedEarly()));
    } catch (error) {
      if (!(isAbortError(error) && record.clientAborted)) emit(transducer.fail(failureOf(abort, error)));
    } finally {
      // A stream that broke off (or whose client left) still used what the upstream billed until then.
      const usage = transducer.usage();
      if (!kept && usage) record.usage = recordUsage(usage);
      ctx.activeStreams.delete(abort);
      channel.close();
      if (!transducer.done || !kept) abort.abort();
    }
  })();
  return reply;
}

function noteFailure(ctx: GatewayContext, request: FastifyRequest, error: GatewayError | undefined): void {
  if (!error) return;
  request.record.errorType = error.code ?? error.type;
  reportStreamError(ctx, request, error.toJSON().error, error.status);
}

function endedEarly(): GatewayError {
  return new GatewayError({ status: 502, type: 'server_error', code: 'upstream_stream_ended', message: 'The upstream stream ended before the response was complete.' });
}

/** A shutdown past its grace period aborts with a GatewayError as the reason: that is what the client learns. */
function failureOf(abort: AbortController, error: unknown): GatewayError {
  const reason: unknown = abort.signal.reason;
  if (reason instanceof GatewayError) return reason;
  if (error instanceof GatewayError) return error;
  const mapped = fromTransportError(error);
  if (mapped.code !== 'upstream_unreachable') return mapped;
  return new GatewayError({ status: 502, type: 'server_error', code: 'upstream_stream_interrupted', message: 'The connection to the Anthropic API was lost in the middle of the answer.' });
}
