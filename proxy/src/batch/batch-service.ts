// Runs batch jobs. A job is stored with its translated requests before the client gets its id; from then on a
// timer moves every unfinished job one step at a time — submit to Anthropic's Message Batches, poll, read the
// results — or, where Message Batches are unavailable (or BATCH_BACKEND=live), runs its requests through the
// live Messages API a few at a time. Every step reads its state from SQLite, so a gateway that restarts picks
// each job up where the last one left it: polling resumes, unfinished live requests run again. Polling Message
// Batches backs off while a job makes no progress, and a client asking for a job's status refreshes it at once
// when the last look is more than a few seconds old (poll-schedule.ts).
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../errors.ts';
import { callDeps, type GatewayContext } from '../gateway/context.ts';
import type { Identity } from '../projects/identity.ts';
import { sendRound } from '../tools/upstream-round.ts';
import { toChatCompletion } from '../translate/response.ts';
import { fromAnthropicErrorEvent } from '../translate/upstream-error.ts';
import { SYSTEM_FINGERPRINT } from '../version.ts';
import { batchesTransient, batchesUnavailable, type UpstreamBatches } from './anthropic-batches.ts';
import type { BatchItemInput, BatchRequestOptions } from './batch-input.ts';
import type { BatchRow, BatchStore, ItemRow } from './batch-store.ts';
import { itemError, prepareItem, type ItemError } from './batch-translate.ts';
import { batchItemUsage } from './batch-usage.ts';
import { PollSchedule } from './poll-schedule.ts';

const DAY_MS = 24 * 3600_000;
/** How long a client's status request waits for a refresh before answering with what is known. */
const REFRESH_WAIT_MS = 5_000;

export interface BatchServiceOptions {
  ctx: GatewayContext;
  store: BatchStore;
  /** Anthropic's Message Batches; undefined when only the live path is used. */
  upstream: UpstreamBatches | undefined;
  log: { warn(data: object, message: string): void };
}

export interface CreateBatch {
  identity: Identity | null;
  items: readonly BatchItemInput[];
  options: BatchRequestOptions;
  endpoint: string;
  inputFileId: string | null;
}

export class BatchService {
  private readonly ctx: GatewayContext;
  private readonly store: BatchStore;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Jobs being stepped right now, so two steps of one job never overlap. */
  private readonly busy = new Map<string, Promise<void>>();
  /** Live runs in this process, by job. */
  private readonly live = new Map<string, AbortController>();
  private readonly cancelSent = new Set<string>();
  /** Cancels upstream calls in flight when the gateway stops. */
  private shutdown = new AbortController();
  private readonly polls: PollSchedule;

  constructor(private readonly options: BatchServiceOptions) {
    this.ctx = options.ctx;
    this.store = options.store;
    this.polls = new PollSchedule(options.ctx.config.batchPollMs, () => options.ctx.now());
  }

  now(): number {
    return this.ctx.now();
  }

  newFileId(): string {
    return this.ctx.newId();
  }

  /** Stores the job with every request translated; the first step starts at once, in the background. */
  create(input: CreateBatch): BatchRow {
    const now = this.ctx.now();
    const policy = input.identity?.project;
    const id = `batch_${this.ctx.newId()}`;
    const prepared = input.items.map((item, idx) => prepareItem(item, idx, this.ctx.config, policy));
    this.store.insert(
      {
        id,
        projectId: policy?.id ?? 'default',
        keyId: input.identity?.keyId ?? null,
        status: 'validating',
        endpoint: input.endpoint,
        completionWindow: input.options.completionWindow,
        inputFileId: input.inputFileId,
        metadata: input.options.metadata,
        createdMs: now,
        expiresMs: now + DAY_MS,
      },
      prepared,
    );
    for (const item of prepared) if (item.error) this.recordUsage(this.store.get(id)!, item, false, undefined, item.error);
    this.step(id);
    return this.store.get(id)!;
  }

  /** Asks a job to stop: pending requests are cancelled upstream (Message Batches) or not started (live). */
  cancel(id: string): BatchRow | undefined {
    const batch = this.store.get(id);
    if (!batch) return undefined;
    if (batch.status === 'validating' || batch.status === 'in_progress' || batch.status === 'finalizing') {
      this.store.patch(id, { status: 'cancelling', cancellingMs: this.ctx.now() });
      this.step(id);
    }
    return this.store.get(id);
  }

  /**
   * Brings a job on Message Batches up to date for a client asking about it: when the last look at Anthropic
   * is more than a few seconds old it looks now, waiting up to REFRESH_WAIT_MS for the answer (the job is
   * answered as last known after that, and the look goes on in the background).
   */
  async refresh(id: string): Promise<void> {
    const batch = this.store.get(id);
    if (this.stopped || !batch || batch.backend !== 'anthropic' || !isActive(batch.status)) return;
    if (!this.busy.has(id) && !this.polls.stale(id)) return;
    this.step(id);
    const running = this.busy.get(id);
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, REFRESH_WAIT_MS);
      timer.unref();
    });
    await Promise.race([running, waited]);
    clearTimeout(timer);
  }

  /** Resumes every unfinished job and starts the polling timer. */
  start(): void {
    this.stopped = false;
    if (this.shutdown.signal.aborted) this.shutdown = new AbortController();
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.shutdown.abort();
    for (const abort of this.live.values()) abort.abort();
    await Promise.allSettled([...this.busy.values()]);
  }

  /** Resolves when no job is being stepped (tests). */
  async settled(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }

  private tick(): void {
    if (this.stopped) return;
    for (const batch of this.store.active()) {
      // Jobs on Message Batches are polled on their own backed-off schedule; a cancellation goes out at once.
      if (batch.backend === 'anthropic' && batch.status !== 'cancelling' && !this.polls.due(batch.id)) continue;
      this.step(batch.id);
    }
    this.timer = setTimeout(() => this.tick(), this.ctx.config.batchPollMs);
    this.timer.unref();
  }

  private step(id: string): void {
    if (this.stopped || this.busy.has(id)) return;
    const run = this.advance(id)
      .catch((error: unknown) => {
        if (!this.stopped) this.options.log.warn({ err: error, batch: id }, 'batch step failed; retried at the next poll');
      })
      .finally(() => this.busy.delete(id));
    this.busy.set(id, run);
  }

  private async advance(id: string): Promise<void> {
    const batch = this.store.get(id);
    if (!batch || !isActive(batch.status)) return;
    if (batch.backend === null) {
      if (batch.status === 'cancelling' || this.store.counts(id).pending === 0) return this.finalize(batch);
      if (this.ctx.now() > batch.expiresMs) return this.expire(batch);
      return this.submit(batch);
    }
    if (batch.backend === 'live') return this.runLive(batch);
    return this.poll(batch);
  }

  private async submit(batch: BatchRow): Promise<void> {
    const choice = this.ctx.config.batchBackend;
    const upstream = this.options.upstream;
    if (choice === 'live' || !upstream) return this.startLive(batch);
    const pending = this.store.pending(batch.id);
    try {
      const created = await upstream.create(pending.map((item) => ({ custom_id: `i${item.idx}`, params: item.params as never })), this.shutdown.signal);
      this.store.patch(batch.id, { backend: 'anthropic', upstreamId: created.id, status: 'in_progress', inProgressMs: this.ctx.now() });
    } catch (error) {
      if (choice === 'auto' && batchesUnavailable(error)) {
        this.options.log.warn({ err: error, batch: batch.id }, 'Message Batches unavailable; running the batch through the live API');
        return this.startLive(batch);
      }
      if (batchesTransient(error)) throw error;
      this.store.patch(batch.id, {
        status: 'failed',
        failedMs: this.ctx.now(),
        errors: { code: 'upstream_rejected', message: error instanceof Error ? error.message.slice(0, 1000) : String(error) },
      });
    }
  }

  private startLive(batch: BatchRow): Promise<void> {
    this.store.patch(batch.id, { backend: 'live', status: batch.status === 'cancelling' ? 'cancelling' : 'in_progress', inProgressMs: this.ctx.now() });
    return this.runLive(this.store.get(batch.id)!);
  }

  private async poll(batch: BatchRow): Promise<void> {
    const upstream = this.options.upstream!;
    if (batch.status === 'cancelling' && !this.cancelSent.has(batch.id)) {
      await upstream.cancel(batch.upstreamId!, this.shutdown.signal);
      this.cancelSent.add(batch.id);
    }
    const remote = await upstream.retrieve(batch.upstreamId!, this.shutdown.signal);
    this.polls.polled(batch.id, `${remote.processing_status} ${JSON.stringify(remote.request_counts)}`);
    if (remote.processing_status !== 'ended') return;
    // Another step (a client's refresh, or a second gateway on the same data folder) may have closed it meanwhile.
    if (!isActive(this.store.get(batch.id)?.status)) return;
    if (batch.status !== 'cancelling') this.store.patch(batch.id, { status: 'finalizing', finalizingMs: batch.finalizingMs ?? this.ctx.now() });
    const items = new Map(this.store.items(batch.id).map((item) => [item.idx, item]));
    for await (const line of await upstream.results(batch.upstreamId!, this.shutdown.signal)) this.settleResult(batch, items, line);
    await this.finalize(this.store.get(batch.id)!);
  }

  private settleResult(batch: BatchRow, items: Map<number, ItemRow>, line: MessageBatchIndividualResponse): void {
    const item = items.get(Number(line.custom_id.slice(1)));
    if (!item || item.status !== 'pending' || !line.custom_id.startsWith('i')) return;
    const at = this.ctx.now();
    const result = line.result;
    if (result.type === 'succeeded') {
      const completion = this.completionOf(item, result.message);
      if (this.store.finish(batch.id, item.idx, 'succeeded', { response: completion }, at)) {
        this.recordUsage(batch, item, true, { completion, usage: result.message.usage }, null);
      }
    } else if (result.type === 'errored') {
      const failure = fromAnthropicErrorEvent(result.error.error);
      const error: ItemError = { status: failure.status, error: failure.toJSON().error };
      if (this.store.finish(batch.id, item.idx, 'errored', { error }, at)) this.recordUsage(batch, item, true, undefined, error);
    } else {
      this.store.finish(batch.id, item.idx, result.type, {}, at);
    }
  }

  private completionOf(item: ItemRow, message: Message) {
    return toChatCompletion(message, {
      id: `chatcmpl-${this.ctx.newId()}`,
      created: Math.floor(this.ctx.now() / 1000),
      model: item.model ?? message.model,
      systemFingerprint: SYSTEM_FINGERPRINT,
      customToolNames: item.customToolNames,
    }).completion;
  }

  /** Runs the job's pending requests through the live API, BATCH_LIVE_CONCURRENCY at a time. */
  private async runLive(batch: BatchRow): Promise<void> {
    if (this.live.has(batch.id)) return;
    const abort = new AbortController();
    this.live.set(batch.id, abort);
    try {
      const queue = this.store.pending(batch.id);
      const worker = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          if (abort.signal.aborted || this.store.get(batch.id)?.status === 'cancelling') return;
          await this.runOne(batch, item, abort.signal);
        }
      };
      await Promise.all(Array.from({ length: this.ctx.config.batchLiveConcurrency }, worker));
      if (!abort.signal.aborted) await this.finalize(this.store.get(batch.id)!);
    } finally {
      this.live.delete(batch.id);
    }
  }

  private async runOne(batch: BatchRow, item: ItemRow, signal: AbortSignal): Promise<void> {
    try {
      const message = await sendRound(callDeps(this.ctx), item.params as never, { requestId: `${batch.id}-${item.idx}`, projectId: batch.projectId, model: item.model!, signal });
      const completion = this.completionOf(item, message);
      if (this.store.finish(batch.id, item.idx, 'succeeded', { response: completion }, this.ctx.now())) this.recordUsage(batch, item, false, { completion, usage: message.usage }, null);
    } catch (error) {
      // Stopped by a shutdown: the request stays pending and runs again after the restart.
      if (signal.aborted) return;
      const failure = error instanceof GatewayError ? itemError(error) : itemError(new GatewayError({ status: 502, message: 'The request failed upstream.' }));
      if (this.store.finish(batch.id, item.idx, 'errored', { error: failure }, this.ctx.now())) this.recordUsage(batch, item, false, undefined, failure);
    }
  }

  /** Settles what is left and closes the job: cancelled when asked to be, expired when nothing ran, else completed. */
  private async finalize(batch: BatchRow): Promise<void> {
    if (!isActive(this.store.get(batch.id)?.status)) return;
    const at = this.ctx.now();
    this.polls.forget(batch.id);
    const leftover = batch.status === 'cancelling' ? 'canceled' : 'expired';
    this.store.transaction(() => {
      for (const item of this.store.pending(batch.id)) this.store.finish(batch.id, item.idx, leftover, {}, at);
    });
    const counts = this.store.counts(batch.id);
    if (batch.status === 'cancelling') this.store.patch(batch.id, { status: 'cancelled', cancelledMs: at });
    else if (counts.expired > 0 && counts.succeeded + counts.errored === 0) this.store.patch(batch.id, { status: 'expired', expiredMs: at });
    else this.store.patch(batch.id, { status: 'completed', finalizingMs: batch.finalizingMs ?? at, completedMs: at });
  }

  private async expire(batch: BatchRow): Promise<void> {
    const at = this.ctx.now();
    this.store.transaction(() => {
      for (const item of this.store.pending(batch.id)) this.store.finish(batch.id, item.idx, 'expired', {}, at);
    });
    this.store.patch(batch.id, { status: 'expired', expiredMs: at });
  }

  private recordUsage(batch: BatchRow, item: Pick<ItemRow, 'idx' | 'requestedModel' | 'model' | 'routeReason'>, discounted: boolean, answer: ItemAnswer | undefined, error: ItemError | null): void {
    try {
      this.ctx.store.usage.appendUsage(
        batchItemUsage({
          batch,
          item,
          discounted,
          usage: answer?.usage,
          status: error ? error.status : 200,
          errorType: error ? (error.error.code ?? error.error.type) : null,
          finishReason: answer?.completion.choices[0]?.finish_reason ?? null,
          endedAt: this.ctx.now(),
          prices: this.ctx.store.prices.table(),
        }),
      );
    } catch (failure) {
      this.options.log.warn({ err: failure, batch: batch.id }, 'batch usage record not written');
    }
  }
}

/** What a succeeded item answered: the client's completion and Anthropic's own usage, which is what gets billed. */
interface ItemAnswer {
  completion: ReturnType<BatchService['completionOf']>;
  usage: Message['usage'];
}

function isActive(status: BatchRow['status'] | undefined): boolean {
  return status === 'validating' || status === 'in_progress' || status === 'finalizing' || status === 'cancelling';
}
