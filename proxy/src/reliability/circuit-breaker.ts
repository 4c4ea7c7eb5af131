// Circuit breakers per upstream and model, over a (possibly shared) CircuitStateStore. The hot path costs one
// read while a circuit is closed; writes happen only when something changes. A local mirror of the last state
// seen for each circuit answers /health and metrics synchronously.
import { admit, CLOSED, onFailure, onSuccess, type Admission, type CircuitRecord, type CircuitSettings, type CircuitStateName } from './circuit-state.ts';
import type { CircuitStateStore } from './circuit-store.ts';

export interface CircuitView {
  upstream: string;
  model: string;
  state: CircuitStateName;
}

export interface CircuitBreakerOptions extends CircuitSettings {
  enabled: boolean;
  store: CircuitStateStore;
  now: () => number;
}

const SEPARATOR = '|';

export class CircuitBreaker {
  private readonly mirror = new Map<string, CircuitRecord>();

  constructor(private readonly options: CircuitBreakerOptions) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  private key(upstream: string, model: string): string {
    return `${upstream}${SEPARATOR}${model}`;
  }

  private seen(key: string, record: CircuitRecord): CircuitRecord {
    this.mirror.set(key, record);
    return record;
  }

  /** Whether a call to this model may go now; 'probe' means it is the one call testing a half-open circuit. */
  async admit(upstream: string, model: string): Promise<{ admission: Admission; retryInMs: number }> {
    if (!this.options.enabled) return { admission: 'pass', retryInMs: 0 };
    const key = this.key(upstream, model);
    const current = this.seen(key, (await this.options.store.get(key)) ?? CLOSED);
    if (current.state === 'closed') return { admission: 'pass', retryInMs: 0 };
    let result = { admission: 'reject' as Admission, retryInMs: 0 };
    const now = this.options.now();
    const next = await this.options.store.update(key, (record) => {
      const step = admit(record, now, this.options);
      result = { admission: step.admission, retryInMs: step.retryInMs };
      return step.next;
    });
    this.seen(key, next);
    return result;
  }

  /** The state last seen for a circuit, without asking the store (cheap enough to rank upstreams by). */
  peek(upstream: string, model: string): CircuitStateName {
    return this.mirror.get(this.key(upstream, model))?.state ?? 'closed';
  }

  async success(upstream: string, model: string): Promise<void> {
    if (!this.options.enabled) return;
    const key = this.key(upstream, model);
    const known = this.mirror.get(key);
    if (known && known.state === 'closed' && known.failures === 0) return;
    this.seen(key, await this.options.store.update(key, () => onSuccess()));
  }

  async failure(upstream: string, model: string): Promise<void> {
    if (!this.options.enabled) return;
    const key = this.key(upstream, model);
    const now = this.options.now();
    this.seen(key, await this.options.store.update(key, (record) => onFailure(record, now, this.options)));
  }

  /** The last state seen for every circuit this gateway has used, in a stable order. */
  states(): CircuitView[] {
    return [...this.mirror]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, record]) => {
        const at = key.indexOf(SEPARATOR);
        return { upstream: key.slice(0, at), model: key.slice(at + 1), state: record.state };
      });
  }

  /** Pulls every circuit from the store into the mirror, so states() also shows circuits other replicas changed. */
  async refresh(): Promise<void> {
    if (!this.options.enabled) return;
    for (const [key, record] of await this.options.store.entries()) this.mirror.set(key, record);
  }
}
