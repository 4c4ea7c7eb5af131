// One more upstream call inside a request (the next round of a plugin-tool loop): the same model, the same
// retries and circuit as the request's first call, streaming or not.
import type { Message, MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { UpstreamAttemptError, httpFailure } from '../reliability/attempt-failure.ts';
import { callWithReliability } from '../reliability/resilient-call.ts';
import { fromTransportError } from '../upstream/transport-error.ts';
import type { GatewayContext } from '../http/gateway-context.ts';
import { openStream, type OpenedStream } from '../http/routes/chat-stream.ts';
import { readUpstreamJson } from '../http/routes/upstream-call.ts';

export interface RoundTarget {
  requestId: string;
  projectId: string;
  model: string;
  signal: AbortSignal;
}

async function post(ctx: GatewayContext, params: MessageCreateParams, target: RoundTarget) {
  let upstream;
  try {
    upstream = await ctx.upstream.send({
      path: '/v1/messages',
      body: JSON.stringify(params),
      signal: target.signal,
      headers: { accept: params.stream ? 'text/event-stream' : 'application/json' },
    });
  } catch (error) {
    throw fromTransportError(error);
  }
  if (upstream.statusCode !== 200) {
    const body = await readUpstreamJson(upstream);
    throw new UpstreamAttemptError(httpFailure(upstream.statusCode, body, upstream.headers, ctx.now()));
  }
  return upstream;
}

export async function sendRound(ctx: GatewayContext, params: MessageCreateParams, target: RoundTarget): Promise<Message> {
  const call = await callWithReliability(
    ctx.reliability.call,
    { requestId: target.requestId, projectId: target.projectId, signal: target.signal, models: [target.model] },
    async () => (await readUpstreamJson(await post(ctx, { ...params, stream: false }, target))) as Message,
  );
  return call.value;
}

export async function openRound(ctx: GatewayContext, params: MessageCreateParams, target: RoundTarget): Promise<OpenedStream> {
  const call = await callWithReliability(
    ctx.reliability.call,
    { requestId: target.requestId, projectId: target.projectId, signal: target.signal, models: [target.model] },
    async () => {
      const upstream = await post(ctx, { ...params, stream: true }, target);
      try {
        return await openStream(upstream, ctx.config.keepAliveMs);
      } catch (error) {
        upstream.body.destroy();
        throw error;
      }
    },
  );
  return call.value;
}
