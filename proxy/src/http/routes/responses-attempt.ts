// One upstream call for a Responses request, with the chat path's retries and fallback models. Everything up
// to the first content the client would see is one attempt, so an error in a stream's opening is retried too.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyRequest } from 'fastify';
import { UpstreamAttemptError, httpFailure } from '../../reliability/attempt-failure.ts';
import { modelsToTry } from '../../reliability/fallback-chain.ts';
import { callWithReliability, type CallResult } from '../../reliability/resilient-call.ts';
import { tryResolveModel } from '../../routing/resolve-model.ts';
import type { TranslatedRequest } from '../../translate/request.ts';
import { fromTransportError } from '../../upstream/transport-error.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { openStream, type OpenedStream } from './chat-stream.ts';
import type { ResponsesPlan } from './responses-plan.ts';
import { readUpstreamJson } from './upstream-call.ts';

export interface ResponsesAttempt {
  translated: TranslatedRequest;
  message?: Message;
  opened?: OpenedStream;
}

export async function attemptResponses(ctx: GatewayContext, request: FastifyRequest, plan: ResponsesPlan, signal: AbortSignal): Promise<CallResult<ResponsesAttempt>> {
  const record = request.record;
  const { routed, project } = plan;
  const models = modelsToTry(routed.model, project.fallbackChain ?? ctx.config.fallbackChain, (name) => tryResolveModel(name, ctx.config));
  return callWithReliability(ctx.reliability.call, { requestId: request.id, projectId: project.id, signal, models }, async (model, attemptNumber) => {
    record.attempts = attemptNumber;
    const translated = model === routed.model ? plan.translated : plan.translateFor(model);
    const payload = JSON.stringify(translated.params);
    record.bodyBytes = payload.length;
    let upstream;
    try {
      upstream = await ctx.upstream.send({
        path: '/v1/messages',
        body: payload,
        signal,
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
    if (!record.stream) return { translated, message: (await readUpstreamJson(upstream)) as Message };
    try {
      return { translated, opened: await openStream(upstream, ctx.config.keepAliveMs) };
    } catch (error) {
      upstream.body.destroy();
      throw error;
    }
  });
}
