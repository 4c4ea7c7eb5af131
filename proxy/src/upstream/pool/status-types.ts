// What the pool tells about each upstream (for /health, metrics and the dashboard), as plain types: the upstream
// seam names them without depending on the pool itself.
import type { CircuitStateName } from '../../reliability/circuit-state.ts';

export type FaultClass = 'rate_limited' | 'overloaded' | 'server_error' | 'connection';

export interface MemberTraffic {
  requests: number;
  /** Answers given to the client (the last upstream tried answered). */
  answered: number;
  /** Attempts that moved on to another upstream, by fault class. */
  failovers: Record<FaultClass, number>;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface UpstreamStatus {
  name: string;
  provider: string;
  /** healthy, drained (rate limit nearly spent until reset), or failing (a circuit open for some model). */
  state: 'healthy' | 'drained' | 'failing';
  config: Record<string, unknown>;
  circuits: Array<{ model: string; state: CircuitStateName }>;
  capacity: { remaining: number; resetAt: string } | null;
  traffic: MemberTraffic;
}

export interface PoolStatus {
  upstreams: UpstreamStatus[];
}
