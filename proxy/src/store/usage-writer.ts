// Usage records and error events leave the request path in two steps: a synchronous journal append (cheap, and
// enough to survive a crash), then a batched SQLite insert a little later — every `flushMs`, or at once when
// `batchSize` entries wait. A failed insert keeps the batch (and the journal) and tries again.
import type { ErrorEvent } from '../reliability/error-events.ts';
import type { UsageRecord } from '../usage/record.ts';
import type { BatchInserter } from './usage-table.ts';
import type { UsageJournal } from './usage-journal.ts';

export interface UsageWriterOptions {
  journal: UsageJournal;
  inserter: BatchInserter;
  /** Unique to this writer, so record keys never collide across processes. */
  token: string;
  flushMs: number;
  batchSize: number;
  onError?: (error: unknown) => void;
}

export interface UsageWriter {
  appendUsage(record: UsageRecord): void;
  appendError(event: ErrorEvent): void;
  /** Writes what waits, now. Readers call it first so they see every completed request. */
  flush(): void;
  pending(): number;
  close(): void;
}

const RETRY_MS = 1000;

export function createUsageWriter(options: UsageWriterOptions): UsageWriter {
  const { journal, inserter } = options;
  let usage: Array<{ key: string; record: UsageRecord }> = [];
  let errors: ErrorEvent[] = [];
  let counter = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let closed = false;

  const waiting = () => usage.length + errors.length;

  const schedule = () => {
    if (closed) return;
    if (waiting() >= options.batchSize) {
      immediate ??= setImmediate(flush);
      return;
    }
    timer ??= setTimeout(flush, options.flushMs).unref();
  };

  function flush(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
    if (waiting() === 0) return;
    try {
      inserter.insert(usage, errors);
    } catch (error) {
      options.onError?.(error);
      if (!closed) timer = setTimeout(flush, RETRY_MS).unref();
      return;
    }
    usage = [];
    errors = [];
    // The insert ran synchronously: nothing was appended meanwhile, so the journal holds only committed entries.
    journal.clear();
  }

  return {
    appendUsage(record) {
      if (closed) return;
      const entry = { key: `${options.token}.${++counter}`, record };
      journal.append({ kind: 'usage', ...entry });
      usage.push(entry);
      schedule();
    },
    appendError(event) {
      if (closed) return;
      journal.append({ kind: 'error', event });
      errors.push(event);
      schedule();
    },
    flush,
    pending: waiting,
    close() {
      if (closed) return;
      flush();
      closed = true;
      if (timer) clearTimeout(timer);
      // Entries that could not be written stay in the journal for the next start.
      if (waiting() === 0) journal.close();
    },
  };
}
