// One place sees every usage record and error event the gateway writes, whichever route or background job
// wrote it (live requests, batch results): the store's writer and the error sink, wrapped.
import type { ErrorEvent, ErrorSink } from '../reliability/error-events.ts';
import type { GatewayStore } from '../store/gateway-store.ts';
import type { UsageRecord } from '../usage/record.ts';

export interface RecordObserver {
  observeUsage(record: UsageRecord): void;
  observeError(event: ErrorEvent): void;
}

function safely<T>(observe: (value: T) => void, value: T): void {
  try {
    observe(value);
  } catch {
    // A metric that cannot be counted must not fail the write it watches.
  }
}

/**
 * The same store, whose usage writer also tells `observer` of each record it accepts. The record is written
 * (journaled) at once; the observer hears of it in a microtask, once the response whose end wrote it has handed
 * its last bytes to the socket, so counting never delays an answer.
 */
export function observeStore(store: GatewayStore, observer: Pick<RecordObserver, 'observeUsage'>): GatewayStore {
  const usage = store.usage;
  return {
    ...store,
    usage: {
      ...usage,
      appendUsage(record) {
        usage.appendUsage(record);
        queueMicrotask(() => safely((r) => observer.observeUsage(r), record));
      },
    },
  };
}

/** The error sink, telling `observer` of each event as well. */
export function observeErrors(sink: ErrorSink, observer: Pick<RecordObserver, 'observeError'>): ErrorSink {
  return {
    record(event) {
      sink.record(event);
      safely((e) => observer.observeError(e), event);
    },
  };
}
