// What one provider adds to an Anthropic-shaped call: where it goes, how it is authenticated, how the body
// changes, and how the answer comes back in Anthropic's shape. The pool does the choosing and the sending.
import type { UpstreamResponse } from '../upstream.ts';

/** An Anthropic API call as the routes make it. */
export interface AnthropicCall {
  method: 'GET' | 'POST';
  /** Anthropic's path, e.g. /v1/messages. */
  path: string;
  /** The parsed JSON body, when there is one. */
  body: Record<string, unknown> | undefined;
  /** The body as the route sent it (forwarded untouched when the provider needs no change). */
  rawBody: string | Buffer | undefined;
  /** Request headers the route set (anthropic-version, anthropic-beta, accept). */
  headers: Record<string, string>;
  /** The provider's id for the requested model (already mapped). */
  model: string | undefined;
}

/** The provider's request: a path on its origin, headers (auth included) and the body to send. */
export interface ProviderRequest {
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

export interface Provider {
  /** The origin and base path every request goes to. */
  readonly baseUrl: string;
  /** Whether this provider serves an Anthropic path at all (clouds have no Models or Batches API). */
  serves(method: string, path: string): boolean;
  /** The provider's model id for a gateway model id, unless the upstream's config maps it explicitly. */
  defaultModelId(model: string): string;
  prepare(call: AnthropicCall): Promise<ProviderRequest>;
  /** The answer in Anthropic's shape: error bodies rewritten, Bedrock's event stream decoded to SSE. */
  adapt(response: UpstreamResponse): Promise<UpstreamResponse>;
}

/** Headers an Anthropic-shaped call carries that no cloud endpoint takes as headers. */
export function cloudHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'anthropic-version' || name === 'x-api-key' || name === 'authorization') continue;
    out[name] = value;
  }
  out['content-type'] = 'application/json';
  return out;
}
