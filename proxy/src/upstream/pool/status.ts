// What /health, the metrics and the dashboard show of each upstream: its configuration without secrets, its
// circuits, its rate-limit headroom and its traffic.
import { describeUpstream } from '../../config/upstreams.ts';
import type { CircuitBreaker } from '../../reliability/circuit-breaker.ts';
import type { Member } from './member.ts';
import type { PoolStatus } from './status-types.ts';

export type { PoolStatus, UpstreamStatus } from './status-types.ts';

export function describePool(members: readonly Member[], breaker: CircuitBreaker, now: number): PoolStatus {
  const circuits = breaker.states();
  return {
    upstreams: members.map((m) => {
      const own = circuits.filter((c) => c.upstream === m.config.name).map((c) => ({ model: c.model, state: c.state }));
      const capacity = m.capacity && now < m.capacity.resetAt ? m.capacity : undefined;
      const state = own.some((c) => c.state === 'open') ? 'failing' : capacity && capacity.remaining <= 0.05 ? 'drained' : 'healthy';
      return {
        name: m.config.name,
        provider: m.config.provider,
        state,
        config: describeUpstream(m.config),
        circuits: own,
        capacity: capacity ? { remaining: Math.round(capacity.remaining * 1000) / 1000, resetAt: new Date(capacity.resetAt).toISOString() } : null,
        traffic: { ...m.traffic, failovers: { ...m.traffic.failovers } },
      };
    }),
  };
}
