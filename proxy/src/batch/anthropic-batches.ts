// Anthropic's Message Batches through @anthropic-ai/sdk's client: create, poll, read results, cancel. Requests
// go with the same API version as the live path, so a translated request is valid in both.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { ANTHROPIC_VERSION } from '../upstream/anthropic-http.ts';

export interface UpstreamBatches {
  create(requests: ReadonlyArray<{ custom_id: string; params: MessageCreateParamsNonStreaming }>, signal?: AbortSignal): Promise<MessageBatch>;
  retrieve(id: string, signal?: AbortSignal): Promise<MessageBatch>;
  results(id: string, signal?: AbortSignal): Promise<AsyncIterable<MessageBatchIndividualResponse>>;
  cancel(id: string, signal?: AbortSignal): Promise<MessageBatch>;
}

export interface AnthropicBatchesOptions {
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

export function createAnthropicBatches(options: AnthropicBatchesOptions): UpstreamBatches {
  const client = new Anthropic({
    baseURL: options.baseUrl,
    // A host that brings its own upstream (the demo) has no key; the SDK still wants one to send.
    apiKey: options.apiKey ?? 'no-key',
    maxRetries: 2,
    timeout: options.timeoutMs,
    defaultHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
  });
  return {
    create: (requests, signal) => client.messages.batches.create({ requests: [...requests] }, { signal: signal ?? null }),
    retrieve: (id, signal) => client.messages.batches.retrieve(id, {}, { signal: signal ?? null }),
    results: (id, signal) => client.messages.batches.results(id, {}, { signal: signal ?? null }),
    cancel: (id, signal) => client.messages.batches.cancel(id, {}, { signal: signal ?? null }),
  };
}

/**
 * Whether an error says Message Batches are not offered here at all (an upstream or proxy without the
 * endpoint, or an account without access), as opposed to a failure worth retrying later.
 */
export function batchesUnavailable(error: unknown): boolean {
  return error instanceof APIError && (error.status === 404 || error.status === 405 || error.status === 501 || error.status === 403);
}

/** A failure that may pass: the upstream overloaded or unreachable. */
export function batchesTransient(error: unknown): boolean {
  if (error instanceof APIError) return error.status === undefined || error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  return true;
}
