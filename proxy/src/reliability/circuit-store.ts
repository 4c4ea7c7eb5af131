// Where circuit states live. Local memory for one gateway; a shared store (Redis) lets replicas open and close
// circuits together. `update` must apply its function atomically for one key (a shared store may call it more
// than once while it retries a conflicting write), which is what lets exactly one replica claim the probe.
import { CLOSED, type CircuitRecord } from './circuit-state.ts';

export interface CircuitStateStore {
  get(key: string): Promise<CircuitRecord | undefined>;
  /** Replaces the record for `key` with `fn(current)` atomically and returns the new record. */
  update(key: string, fn: (current: CircuitRecord) => CircuitRecord): Promise<CircuitRecord>;
  /** Every key with a record, for /health and metrics. */
  entries(): Promise<Array<[string, CircuitRecord]>>;
}

export function createLocalCircuitStore(): CircuitStateStore {
  const records = new Map<string, CircuitRecord>();
  return {
    async get(key) {
      return records.get(key);
    },
    async update(key, fn) {
      const next = fn(records.get(key) ?? CLOSED);
      records.set(key, next);
      return next;
    },
    async entries() {
      return [...records];
    },
  };
}
