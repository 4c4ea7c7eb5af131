// What /health, the metrics and the dashboard show of each upstream: its configuration without secrets, its
// circuits, its rate-limit headroom and its traffic.
import { describeUpstream } from '../../config/upstreams.ts';
import type { CircuitBreaker } from '../../reliability/circuit-breaker.ts';
import type { CircuitStateName } from '../../reliability/circuit-state.ts';
import type { Member, MemberTraffic } from './member.ts';

export interface UpstreamStatus {
  name: string;
  provider: string;
  /** healthy, drained (rate limit nearly used up until reset), or failing (a circuit open for some model). */
  state: 'healthy' | 'drained' | 'failing';
  config: Record<string, unknown>;
  circuits: Array<{ model: string; state: CircuitStateName }>;
  capacity: { remaining: number; resetAt: string } | null;
  traffic: MemberTraffic;
}

export interface PoolStatus {
  upstreams: UpstreamStatus[];
}

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
