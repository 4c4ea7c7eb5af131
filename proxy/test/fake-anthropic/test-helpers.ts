// Shared helpers for the fake's own tests: raw HTTP calls, an SDK client, and an SSE parser.
import Anthropic from '@anthropic-ai/sdk';
import type { FakeAnthropic } from './types.ts';

export const VERSION_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2026-10-21' };
export const LEGACY_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(fake: FakeAnthropic, method: string, path: string, body?: unknown, headers: Record<string, string> = VERSION_HEADERS): Promise<RawResponse> {
  const res = await fetch(fake.url + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const post = (fake: FakeAnthropic, path: string, body: unknown, headers?: Record<string, string>) => call(fake, 'POST', path, body, headers);

export function client(fake: FakeAnthropic, apiKey = 'sk-test'): Anthropic {
  return new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0 });
}

export interface ParsedEvent {
  event: string;
  data: any;
}

export function parseSse(text: string): ParsedEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim().length > 0)
    .map((chunk) => {
      const lines = chunk.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice('event: '.length);
      const data = lines.find((l) => l.startsWith('data: '))!.slice('data: '.length);
      return { event, data: JSON.parse(data) };
    });
}

/** A minimal valid Messages request, overridable field by field. */
export function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }], ...overrides };
}

/** Text of about `tokens` fake tokens (four characters each), distinct per label. */
export function filler(label: string, tokens: number): string {
  const unit = `${label} lorem ipsum `;
  return unit.repeat(Math.ceil((tokens * 4) / unit.length)).slice(0, tokens * 4);
}
