// Per-upstream metrics for several upstreams (UPSTREAMS), read live from the pool at scrape: each upstream's
// state, rate-limit headroom, attempts and failovers by fault class, all labelled `upstream`.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { UpstreamStatus } from '../upstream/pool/status-types.ts';

/** Upstream states as numbers: alert on `gateway_upstream_state > 0`. */
export const UPSTREAM_STATE_VALUE = { healthy: 0, drained: 1, failing: 2 } as const;

export function registerUpstreamMetrics(registry: Registry, upstreams: () => UpstreamStatus[] | undefined): void {
  const registers = [registry];
  new Gauge({
    name: 'gateway_upstream_state',
    help: 'State of each configured upstream: 0 healthy, 1 drained (rate limit nearly spent), 2 failing (a circuit open).',
    labelNames: ['upstream', 'provider'] as const,
    registers,
    collect() {
      this.reset();
      for (const u of upstreams() ?? []) this.set({ upstream: u.name, provider: u.provider }, UPSTREAM_STATE_VALUE[u.state]);
    },
  });
  new Gauge({
    name: 'gateway_upstream_headroom_ratio',
    help: "Share of the tightest rate limit left, from the upstream's last rate-limit headers (absent until reported).",
    labelNames: ['upstream'] as const,
    registers,
    collect() {
      this.reset();
      for (const u of upstreams() ?? []) if (u.capacity) this.set({ upstream: u.name }, u.capacity.remaining);
    },
  });
  new Counter({
    name: 'gateway_upstream_attempts_total',
    help: 'Calls sent to each upstream (failed-over ones included).',
    labelNames: ['upstream'] as const,
    registers,
    collect() {
      this.reset();
      for (const u of upstreams() ?? []) this.inc({ upstream: u.name }, u.traffic.requests);
    },
  });
  new Counter({
    name: 'gateway_upstream_failovers_total',
    help: 'Attempts that moved on from an upstream to the next, by fault: rate_limited, overloaded, server_error, connection.',
    labelNames: ['upstream', 'fault'] as const,
    registers,
    collect() {
      this.reset();
      for (const u of upstreams() ?? []) for (const [fault, n] of Object.entries(u.traffic.failovers)) this.inc({ upstream: u.name, fault }, n);
    },
  });
}
