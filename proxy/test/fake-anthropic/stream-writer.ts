// Writes a streamed message to the socket, applying the plan's pacing and faults: delays between events
// (filled with pings when long, as the API keeps idle streams alive), an `event: error` after a 200 (the
// docs' example is an overloaded_error mid-stream), or a socket torn down mid-stream.
import type { ServerResponse } from 'node:http';
import type { Sleeper } from './sleeper.ts';
import { formatEvent, PING_DATA, type SseEvent } from './stream-events.ts';
import type { FakePlan } from './types.ts';

/** Silences at least this long are broken up by pings. */
export const PING_INTERVAL_MS = 1000;

export interface StreamTarget {
  res: ServerResponse;
  headers: Record<string, string>;
  sleeper: Sleeper;
  /** Called before the fake itself destroys the socket, so the request is not recorded as aborted. */
  markServerDrop(): void;
}

const gone = (res: ServerResponse) => res.destroyed || res.writableEnded;

async function pause(target: StreamTarget, ms: number): Promise<void> {
  let left = ms;
  while (left >= PING_INTERVAL_MS && !gone(target.res)) {
    await target.sleeper.sleep(PING_INTERVAL_MS);
    left -= PING_INTERVAL_MS;
    if (!gone(target.res)) target.res.write(formatEvent({ event: 'ping', data: PING_DATA }));
  }
  if (left > 0 && !gone(target.res)) await target.sleeper.sleep(left);
}

/** Lets already-written events reach the client before the socket is torn down. */
async function flushed(res: ServerResponse): Promise<void> {
  for (let i = 0; i < 50 && (res.socket?.writableLength ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setImmediate(r));
}

/** The shape of the docs' example: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}. */
function errorEvent(plan: FakePlan): string {
  const error = plan.errorEvent ?? { type: 'overloaded_error', message: 'Overloaded' };
  return formatEvent({ event: 'error', data: JSON.stringify({ type: 'error', error }) });
}

export async function writeStream(target: StreamTarget, events: SseEvent[], plan: FakePlan): Promise<void> {
  const { res } = target;
  res.writeHead(200, target.headers);
  const delay = plan.eventDelayMs ?? 0;
  let written = 0;
  let contentWritten = 0;
  // Without pacing the whole stream goes out in one corked burst, which keeps the fake cheap in benchmarks.
  const corked = delay === 0 && plan.dropAfter === undefined;
  if (corked) res.cork();
  try {
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (i > 0 && delay > 0) await pause(target, delay);
      if (plan.holdBeforeEnd && e.event === 'message_delta') await plan.holdBeforeEnd;
      if (gone(res)) return;
      const isPing = e.event === 'ping';
      if (plan.errorEventAfter !== undefined && (e.content || e.event === 'message_delta') && contentWritten >= plan.errorEventAfter) {
        res.end(errorEvent(plan));
        return;
      }
      if (plan.dropAfter !== undefined && !isPing && written >= plan.dropAfter) {
        await flushed(res);
        target.markServerDrop();
        res.socket?.destroy();
        res.destroy();
        return;
      }
      res.write(formatEvent(e));
      if (!isPing) written++;
      if (e.content) contentWritten++;
    }
    res.end();
  } finally {
    if (corked && !res.destroyed) res.uncork();
  }
}
