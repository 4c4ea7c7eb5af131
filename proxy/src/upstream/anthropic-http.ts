// The hot-path HTTP client to Anthropic: one keep-alive undici Pool per origin, raw bodies in and out, so the
// gateway parses each body once and streams upstream bytes straight into its SSE decoder.
import { Pool } from 'undici';
import type { Upstream } from './upstream.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

export type { UpstreamRequest, UpstreamResponse } from './upstream.ts';

/** The Anthropic API over HTTP: the single-upstream implementation of the seam (upstream-pool.ts is the other). */
export type AnthropicUpstream = Upstream;

export interface AnthropicUpstreamOptions {
  baseUrl: string;
  apiKey: string | undefined;
  headersTimeoutMs: number;
  /** Longest silence allowed between two body chunks (the stream idle timeout). */
  bodyTimeoutMs: number;
  connections?: number;
}

export function createAnthropicUpstream(options: AnthropicUpstreamOptions): AnthropicUpstream {
  const origin = new URL(options.baseUrl);
  const basePath = origin.pathname.replace(/\/+$/, '');
  const pool = new Pool(origin.origin, {
    connections: options.connections ?? 128,
    keepAliveTimeout: 30_000,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
  const defaults: Record<string, string> = {
    'anthropic-version': ANTHROPIC_VERSION,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (options.apiKey) defaults['x-api-key'] = options.apiKey;

  return {
    baseUrl: options.baseUrl,
    send(request) {
      const headers: Record<string, string> = { ...defaults };
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        if (value !== undefined) headers[name] = value;
      }
      return pool.request({
        method: request.method ?? 'POST',
        path: basePath + request.path,
        headers,
        body: request.body,
        signal: request.signal,
        headersTimeout: request.headersTimeoutMs ?? options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      });
    },
    close: () => pool.close(),
  };
}
