// Anthropic's Message Batches through @anthropic-ai/sdk's client: create, poll, read results, cancel. Requests
// go with the same API version as the live path, so a translated request is valid in both.
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { ANTHROPIC_VERSION } from '../upstream/anthropic-http.ts';

export interface UpstreamBatches {
  create(requests: ReadonlyArray<{ custom_id: string; params: MessageCreateParamsNonStreaming }>, signal?: AbortSignal): Promise<MessageBatch>;
  retrieve(id: string, signal?: AbortSignal): Promise<MessageBatch>;
  results(id: string, signal?: AbortSignal): Promise<AsyncIterable<MessageBatchIndividualResponse>>;
  cancel(id: string, signal?: AbortSignal): Promise<MessageBatch>;
  /** Loads what the calls need (Anthropic's SDK), so the first call does not wait for it. */
  ready?(): Promise<void>;
}

export interface AnthropicBatchesOptions {
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

/** The SDK once loaded: its errors can only exist after that, so an unloaded SDK means "not an SDK error". */
let sdk: typeof import('@anthropic-ai/sdk') | undefined;

export function createAnthropicBatches(options: AnthropicBatchesOptions): UpstreamBatches {
  // Loaded on the first batch call rather than at start-up.
  let client: Promise<Anthropic> | undefined;
  const load = () =>
    (client ??= import('@anthropic-ai/sdk').then((loaded) => {
      sdk = loaded;
      return new loaded.default({
        baseURL: options.baseUrl,
        // A host that brings its own upstream (the demo) has no key; the SDK still wants one to send.
        apiKey: options.apiKey ?? 'no-key',
        maxRetries: 2,
        timeout: options.timeoutMs,
        defaultHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
      });
    }));
  const batches = async () => (await load()).messages.batches;
  return {
    ready: async () => void (await load()),
    create: async (requests, signal) => (await batches()).create({ requests: [...requests] }, { signal: signal ?? null }),
    retrieve: async (id, signal) => (await batches()).retrieve(id, {}, { signal: signal ?? null }),
    results: async (id, signal) => (await batches()).results(id, {}, { signal: signal ?? null }),
    cancel: async (id, signal) => (await batches()).cancel(id, {}, { signal: signal ?? null }),
  };
}

function apiError(error: unknown): { status: number | undefined } | undefined {
  return sdk && error instanceof sdk.APIError ? error : undefined;
}

/**
 * Whether an error says Message Batches are not offered here at all (an upstream or proxy without the
 * endpoint, or an account without access), as opposed to a failure worth retrying later.
 */
export function batchesUnavailable(error: unknown): boolean {
  const status = apiError(error)?.status;
  return status === 404 || status === 405 || status === 501 || status === 403;
}

/** A failure that may pass: the upstream overloaded or unreachable. */
export function batchesTransient(error: unknown): boolean {
  const known = apiError(error);
  if (!known) return true;
  const status = known.status;
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}
