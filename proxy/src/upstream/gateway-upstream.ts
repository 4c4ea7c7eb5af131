// The upstream a gateway talks to: the classic single Anthropic client when nothing more is configured (the
// fast path, unchanged), else the pool of every configured upstream.
import { upstreamsOf, type GatewayConfig } from '../config/config.ts';
import type { CircuitBreaker } from '../reliability/circuit-breaker.ts';
import type { KeyValueCache } from '../shared-state/shared-state.ts';
import { createAnthropicUpstream, type AnthropicUpstream } from './anthropic-http.ts';
import { createStickyStore } from './pool/sticky.ts';
import { createUpstreamPool } from './upstream-pool.ts';

export interface GatewayUpstreamDeps {
  breaker: CircuitBreaker;
  now: () => number;
  /** Shared conversation stickiness (Redis with REDIS_URL). */
  stickyCache?: KeyValueCache;
  random?: () => number;
}

/** Whether the config asks for the pool: any UPSTREAMS list, even of one entry (it may be a cloud). */
export function usesUpstreamPool(config: Pick<GatewayConfig, 'upstreams'>): boolean {
  return (config.upstreams?.length ?? 0) > 0;
}

export function createGatewayUpstream(config: GatewayConfig, deps: GatewayUpstreamDeps): AnthropicUpstream {
  const timeouts = { headersTimeoutMs: config.upstreamTimeoutMs, bodyTimeoutMs: config.streamIdleTimeoutMs };
  if (!usesUpstreamPool(config)) {
    return createAnthropicUpstream({ baseUrl: config.anthropicBaseUrl, apiKey: config.anthropicApiKey, ...timeouts });
  }
  return createUpstreamPool({
    upstreams: upstreamsOf(config),
    breaker: deps.breaker,
    now: deps.now,
    sticky: createStickyStore(deps.stickyCache),
    ...(deps.random && { random: deps.random }),
    ...timeouts,
  });
}
