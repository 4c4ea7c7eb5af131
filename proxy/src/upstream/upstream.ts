// The seam between the gateway and whoever serves Claude: send one request (a Messages body, a count_tokens
// body), get the raw HTTP answer back, body still unread. Two implementations: the undici client to one Anthropic
// API (anthropic-http.ts), and the pool that balances over several upstreams and clouds (upstream-pool.ts).
import type { Dispatcher } from 'undici';
import type { PoolStatus } from './pool/status-types.ts';

export interface UpstreamRequest {
  method?: 'GET' | 'POST';
  /** Anthropic's path, e.g. /v1/messages; an implementation that speaks another URL scheme maps it. */
  path: string;
  body?: string | Buffer;
  /** Headers that replace the defaults (anthropic-version, anthropic-beta from a pass-through client). */
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Overrides the configured time allowed for the response headers. */
  headersTimeoutMs?: number;
}

/** Status, headers and an unread body stream (readable once: `.text()`, `.json()` or async iteration). */
export type UpstreamResponse = Dispatcher.ResponseData;

export interface Upstream {
  /** Where requests go, for logs and the admin settings page. */
  readonly baseUrl: string;
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
  /** Several upstreams (UPSTREAMS): each one's state, circuits, headroom and traffic. */
  status?(): PoolStatus;
}
