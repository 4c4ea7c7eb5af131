// The circuit breaker's state machine, per upstream and model. Pure: the clock comes in as `now`.
//   closed    — calls pass; consecutive failures are counted, and reaching the threshold opens the circuit.
//   open      — calls are refused (or sent to a fallback) until the timeout has passed.
//   half_open — one probe call is let through; its success closes the circuit, its failure opens it again.
//               A probe that never reports back (its client left) frees the slot after another timeout.

export type CircuitStateName = 'closed' | 'open' | 'half_open';

export interface CircuitRecord {
  state: CircuitStateName;
  /** Consecutive failures while closed. */
  failures: number;
  openedAt: number | null;
  /** When the current probe started (half_open only). */
  probeSince: number | null;
}

export interface CircuitSettings {
  threshold: number;
  timeoutMs: number;
}

export type Admission = 'pass' | 'probe' | 'reject';

export const CLOSED: CircuitRecord = Object.freeze({ state: 'closed', failures: 0, openedAt: null, probeSince: null });

export function admit(current: CircuitRecord, now: number, settings: CircuitSettings): { admission: Admission; next: CircuitRecord; retryInMs: number } {
  switch (current.state) {
    case 'closed':
      return { admission: 'pass', next: current, retryInMs: 0 };
    case 'open': {
      const openedAt = current.openedAt ?? now;
      if (now - openedAt >= settings.timeoutMs) {
        return { admission: 'probe', next: { state: 'half_open', failures: current.failures, openedAt, probeSince: now }, retryInMs: 0 };
      }
      return { admission: 'reject', next: current, retryInMs: openedAt + settings.timeoutMs - now };
    }
    case 'half_open': {
      const since = current.probeSince;
      if (since === null || now - since >= settings.timeoutMs) {
        return { admission: 'probe', next: { ...current, probeSince: now }, retryInMs: 0 };
      }
      return { admission: 'reject', next: current, retryInMs: since + settings.timeoutMs - now };
    }
  }
}

export function onSuccess(): CircuitRecord {
  return CLOSED;
}

export function onFailure(current: CircuitRecord, now: number, settings: CircuitSettings): CircuitRecord {
  switch (current.state) {
    case 'closed': {
      const failures = current.failures + 1;
      if (failures >= settings.threshold) return { state: 'open', failures, openedAt: now, probeSince: null };
      return { ...current, failures };
    }
    case 'half_open':
      return { state: 'open', failures: current.failures + 1, openedAt: now, probeSince: null };
    case 'open':
      // A call admitted before the circuit opened failing late: the circuit is already open.
      return current;
  }
}
