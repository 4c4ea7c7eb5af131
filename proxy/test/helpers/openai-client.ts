// The openai SDK as tests drive the gateway: no retries of its own, a bounded wait, and the test's connection pool.
import OpenAI from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Harness } from './harness.ts';

export function openaiClient(h: Pick<Harness, 'baseURL'>, pool: Agent, apiKey: string): OpenAI {
  return new OpenAI({
    baseURL: h.baseURL,
    apiKey,
    maxRetries: 0,
    timeout: 20_000,
    fetch: undiciFetch as unknown as typeof fetch,
    fetchOptions: { dispatcher: pool } as object,
  });
}
