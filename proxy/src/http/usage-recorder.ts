// One usage record per API request, written when the response ends. The record is journaled just before the
// last byte of the response is handed to the socket (a wrapper around the response's end()), so a client that
// has its complete answer can count on the record surviving a crash of the gateway. A response that never ends
// (the client went away) is recorded shortly after its connection closes, once the route has counted what the
// upstream billed until then.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayStore } from '../store/gateway-store.ts';
import { buildUsageRecord, USAGE_ENDPOINTS, type UsageEndpoint } from '../usage/record.ts';
import type { GatewayContext } from '../gateway/context.ts';

const ROUTE_ENDPOINTS: Record<string, UsageEndpoint> = {
  '/v1/chat/completions': 'chat',
  '/chat/completions': 'chat',
  '/v1/messages': 'messages',
  '/v1/messages/count_tokens': 'count_tokens',
  '/v1/responses': 'responses',
  '/responses': 'responses',
  '/v1/responses/input_tokens': 'count_tokens',
  '/responses/input_tokens': 'count_tokens',
};

/** The usage endpoint a request counts under, or undefined for requests that are not metered (model lists…). */
function endpointOf(request: FastifyRequest): UsageEndpoint | undefined {
  const set = request.record.endpoint as string | undefined;
  if (set && (USAGE_ENDPOINTS as readonly string[]).includes(set)) return set as UsageEndpoint;
  const url = request.routeOptions.url ?? '';
  return ROUTE_ENDPOINTS[url] ?? (url.startsWith('/v1/batch') ? 'batch' : undefined);
}

// A client that left cancels the upstream call; the route then notes the usage it had seen.
const ABORTED_GRACE_MS = 200;

/** Runs `beforeEnd` once, synchronously, right before the response's end() does its work. */
function beforeResponseEnds(raw: ServerResponse, beforeEnd: () => void, onClosedEarly: () => void): void {
  const end = raw.end;
  raw.end = function (this: ServerResponse, ...args: unknown[]) {
    raw.end = end;
    beforeEnd();
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
  raw.once('close', () => {
    if (!raw.writableEnded) setTimeout(onClosedEarly, ABORTED_GRACE_MS).unref();
  });
}

export function installUsageRecorder(app: FastifyInstance, ctx: GatewayContext, store: GatewayStore): void {
  // Clouds may bill more than the price table (regional endpoints): each upstream can say by how much.
  const multipliers = new Map((ctx.config.upstreams ?? []).map((u) => [u.name, u.priceMultiplier]));
  const priceMultiplier = (upstream: string | undefined) => (upstream ? (multipliers.get(upstream) ?? 1) : 1);
  if (store.recovered > 0) app.log.warn({ recovered: store.recovered }, 'usage records of a stopped gateway recovered from its journal');
  const write = (request: FastifyRequest, reply: FastifyReply) => {
    const identity = request.identity;
    const endpoint = endpointOf(request);
    if (!identity || !endpoint) return;
    // A batch's own calls (create, poll, list) bill nothing: its items are recorded one by one as they
    // finish. Only a refused batch call is kept, so bad input shows in the error feed.
    if (endpoint === 'batch' && !request.record.endpoint && reply.raw.statusCode < 400) return;
    const record = buildUsageRecord({
      id: request.id,
      endpoint,
      record: request.record,
      projectId: identity.project.id,
      keyId: identity.keyId,
      client: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, 300) : null,
      status: reply.raw.statusCode,
      endedAt: ctx.now(),
      prices: store.prices.table(),
      priceMultiplier: priceMultiplier(request.record.upstream),
    });
    store.usage.appendUsage(record);
  };

  // Registered after the key checks: requests that were refused before authentication are not metered.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.identity || request.routeOptions.config?.access !== 'api') return done();
    let written = false;
    const once = () => {
      if (written) return;
      written = true;
      try {
        write(request, reply);
      } catch (error) {
        request.log.error({ err: error }, 'usage record not written');
      }
    };
    beforeResponseEnds(reply.raw, once, once);
    done();
  });
}
