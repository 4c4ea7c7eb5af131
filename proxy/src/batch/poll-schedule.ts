// When to ask Anthropic about a Message Batches job. In the background, each job is polled at BATCH_POLL_SECONDS
// while it makes progress and ever less often while it does not (doubling up to ten times the interval), so a
// long batch costs few calls. A client asking for the job's status refreshes it whenever the last look is more
// than a couple of seconds old, so a finished batch reaches the client within seconds however far the
// background polling has backed off. Pure bookkeeping over an injected clock.

/** A client's GET looks at Anthropic again when the last look is older than this. */
export const REFRESH_AFTER_MS = 2_000;
/** The background interval grows to at most this many times BATCH_POLL_SECONDS. */
const MAX_BACKOFF_FACTOR = 10;

interface JobPolls {
  lastMs: number;
  intervalMs: number;
  progress: string;
}

export class PollSchedule {
  private readonly jobs = new Map<string, JobPolls>();
  private readonly maxMs: number;
  private readonly refreshAfterMs: number;

  constructor(
    private readonly baseMs: number,
    private readonly now: () => number,
  ) {
    this.maxMs = baseMs * MAX_BACKOFF_FACTOR;
    // With a poll interval shorter than the refresh threshold, a client never waits longer than the background.
    this.refreshAfterMs = Math.min(REFRESH_AFTER_MS, baseMs);
  }

  /** Whether the background timer should poll the job now (never polled, or its interval has passed). */
  due(id: string): boolean {
    const job = this.jobs.get(id);
    return !job || this.now() - job.lastMs >= job.intervalMs;
  }

  /** Whether a client's status request should look at Anthropic now. */
  stale(id: string): boolean {
    const job = this.jobs.get(id);
    return !job || this.now() - job.lastMs >= this.refreshAfterMs;
  }

  /** Notes a poll and what it saw (the request counts): progress resets the interval, none doubles it. */
  polled(id: string, progress: string): void {
    const job = this.jobs.get(id);
    const moved = !job || job.progress !== progress;
    const intervalMs = moved ? this.baseMs : Math.min(job.intervalMs * 2, this.maxMs);
    this.jobs.set(id, { lastMs: this.now(), intervalMs, progress });
  }

  /** The background interval the job is on now (tests, logs). */
  intervalMs(id: string): number {
    return this.jobs.get(id)?.intervalMs ?? this.baseMs;
  }

  forget(id: string): void {
    this.jobs.delete(id);
  }
}
