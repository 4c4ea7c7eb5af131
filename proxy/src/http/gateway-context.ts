// Everything a route needs, built once by buildGateway and handed to each route module.
import type { GatewayConfig } from '../config/config.ts';
import type { ThinkingCache } from '../store/thinking-cache.ts';
import type { AnthropicUpstream } from '../upstream/anthropic-http.ts';
import type { ModelDirectory } from '../upstream/model-directory.ts';

export interface GatewayContext {
  config: GatewayConfig;
  upstream: AnthropicUpstream;
  models: ModelDirectory;
  thinking: ThinkingCache;
  /** Milliseconds since the epoch; injected so tests and benchmarks control time. */
  now: () => number;
  /** A fresh random id fragment (letters and digits). */
  newId: () => string;
  /** Streams in flight, so a shutdown can let them finish and then cut the rest. */
  activeStreams: Set<AbortController>;
}
