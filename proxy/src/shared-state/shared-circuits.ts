// Circuit states (CircuitStateStore) on SharedState. An update reads the record, applies the breaker's pure
// step, and writes it back only if nobody changed it meanwhile (compare-and-set), else reads again: so when
// several replicas race for the probe of a half-open circuit, exactly one gets it.
import { CLOSED, type CircuitRecord } from '../reliability/circuit-state.ts';
import type { CircuitStateStore } from '../reliability/circuit-store.ts';
import type { SharedState } from './shared-state.ts';

const INDEX_KEY = 'circuits';
const recordKey = (key: string) => `circuit:${key}`;
/** Circuits nobody touched for a day are forgotten (closed). */
const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_TRIES = 20;

function parse(raw: string | undefined): CircuitRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as CircuitRecord;
    return value && typeof value.state === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export class CircuitContentionError extends Error {
  constructor(key: string) {
    super(`circuit ${key} kept changing while being updated`);
    this.name = 'CircuitContentionError';
  }
}

export function createSharedCircuitStore(state: SharedState): CircuitStateStore {
  return {
    async get(key) {
      return parse(await state.get(recordKey(key)));
    },
    async update(key, fn) {
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const raw = await state.get(recordKey(key));
        const next = fn(parse(raw) ?? CLOSED);
        const text = JSON.stringify(next);
        if (text === raw) return next;
        if (await state.compareAndSet(recordKey(key), raw, text, TTL_MS)) {
          await state.addToSet(INDEX_KEY, key, TTL_MS);
          return next;
        }
      }
      throw new CircuitContentionError(key);
    },
    async entries() {
      const keys = await state.members(INDEX_KEY);
      const raws = await state.getMany(keys.map(recordKey));
      const out: Array<[string, CircuitRecord]> = [];
      keys.forEach((key, i) => {
        const record = parse(raws[i]);
        if (record) out.push([key, record]);
      });
      return out;
    },
  };
}
