// The gateway-wide reliability hooks: rate limits before a request runs (and X-RateLimit-* headers on every API
// response), error telemetry for errors the gateway returns, and, when a request ends, the token charge
// corrected, the smart router told how its answer went, and the decision logged for /admin/routing.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rateLimitError, rateLimitHeaders } from '../reliability/rate-limiter.ts';
import { clipMessage } from '../reliability/error-events.ts';
import { markReported, wasReported } from '../reliability/resilient-call.ts';
import { projectRoutingOf } from '../routing/project-policy.ts';
import { toGatewayError } from './error-handler.ts';
import type { GatewayContext } from '../gateway/context.ts';
import { requestExtras } from './route-notes.ts';

/** Input tokens a request may use, before it is translated: about four bytes of JSON per token. */
function estimatedTokens(request: FastifyRequest): number {
  const length = Number(request.headers['content-length']);
  if (Number.isFinite(length) && length > 0) return Math.ceil(length / 4);
  return request.body === undefined ? 0 : Math.ceil(JSON.stringify(request.body).length / 4);
}

export function installReliabilityHooks(app: FastifyInstance, ctx: GatewayContext): void {
  const recordGatewayError = (request: FastifyRequest, type: string, status: number, message: string) => {
    const record = request.record;
    ctx.reliability.errors.record({
      id: `err_${ctx.newId()}`,
      ts: new Date(ctx.now()).toISOString(),
      requestId: request.id,
      projectId: record.projectId ?? projectRoutingOf(request).id,
      model: record.model ?? record.requestedModel ?? null,
      type,
      status,
      attempt: record.attempts ?? 0,
      message: clipMessage(message),
    });
  };

  // preHandler: after the key checks (and the caller's identity) and after the body is parsed. Installed only
  // when rate limiting is on, so a gateway without limits pays nothing for it.
  if (ctx.config.rateLimitEnabled) app.addHook('preHandler', async (request, reply) => {
    const { config } = ctx;
    if (request.routeOptions.config?.access !== 'api') return;
    const project = projectRoutingOf(request);
    const limits = { rpm: project.rateLimitRpm ?? config.rateLimitRpm, tpm: project.tokensPerMinute ?? config.rateLimitTpm };
    if (limits.rpm <= 0 && limits.tpm <= 0) return;
    // Reading the model list costs nothing upstream: it shows the limits without using them.
    const consume = request.method === 'POST';
    const decision = await ctx.reliability.rateLimiter.admit(project.id, limits, consume ? estimatedTokens(request) : 0, consume);
    if (!decision.allowed) {
      request.record.projectId = project.id;
      const error = rateLimitError(decision, project.id, request.routeOptions.config.errorShape === 'anthropic' ? 'anthropic' : 'openai');
      recordGatewayError(request, 'rate_limited', 429, error.message);
      markReported(error);
      throw error;
    }
    reply.headers(rateLimitHeaders(decision));
    if (decision.charge) requestExtras(request).charge = decision.charge;
  });

  app.addHook('onError', async (request, _reply, error) => {
    if (wasReported(error)) return;
    const gatewayError = toGatewayError(error);
    if (gatewayError.status < 500 && gatewayError.status !== 429) return;
    recordGatewayError(request, gatewayError.code ?? gatewayError.type, gatewayError.status, gatewayError.message);
  });

  // Bookkeeping after the answer went out: nothing here may delay or fail a request, so it runs unawaited.
  app.addHook('onResponse', (request, reply, done) => {
    const record = request.record;
    const extras = requestExtras(request);
    const warn = (error: unknown) => request.log.warn({ err: error }, 'routing/reliability bookkeeping failed');
    if (extras.charge) {
      const used = record.usage ? record.usage.prompt + record.usage.completion : 0;
      ctx.reliability.rateLimiter.settle(extras.charge, used).catch(warn);
    }
    if (extras.ticket && !record.clientAborted) {
      const status = reply.statusCode;
      // An error status, or an error frame inside a 200 stream: the answer failed.
      const bad = status >= 500 || (status < 400 && record.errorType !== undefined);
      ctx.router.recordOutcome({ ...extras.ticket, model: record.model ?? extras.ticket.model }, bad).catch(warn);
    }
    if (record.routeReason && record.model && (record.endpoint === 'chat' || record.endpoint === 'messages')) {
      ctx.routingLog.add({ ts: record.startedAt, projectId: record.projectId ?? 'default', model: record.model, reason: record.routeReason });
    }
    done();
  });
}

/**
 * Reports an error that ended a stream after its 200 (the client saw it as a final error frame). An upstream
 * failure there also counts against the model's circuit; a gateway shutting down does not.
 */
export function reportStreamError(ctx: GatewayContext, request: FastifyRequest, error: { type: string; code: string | null; message: string }, status: number): void {
  const record = request.record;
  if (status >= 500 && error.code !== 'gateway_shutdown' && record.model) {
    ctx.reliability.breaker.failure(ctx.reliability.call.upstreamName, record.model).catch((e: unknown) => request.log.warn({ err: e }, 'circuit update failed'));
  }
  ctx.reliability.errors.record({
    id: `err_${ctx.newId()}`,
    ts: new Date(ctx.now()).toISOString(),
    requestId: request.id,
    projectId: record.projectId ?? projectRoutingOf(request).id,
    model: record.model ?? null,
    type: error.code === 'upstream_timeout' ? 'timeout_error' : error.type === 'server_error' ? 'stream_error' : error.type,
    status,
    attempt: record.attempts ?? 0,
    message: clipMessage(error.message),
  });
}
