// Settings for model routing and upstream reliability: smart routing, retries, circuit breaker, fallbacks and
// rate limits. Kept beside the main config so its reader stays one line there.
import type { EnvReader } from './env-readers.ts';

export interface RoutingReliabilityConfig {
  /** Lets the gateway choose between the default model and OPUS_MODEL for `auto` requests. */
  enableSmartRouting: boolean;
  /** Score (0..1) at or above which a smart-routed request goes to OPUS_MODEL. */
  opusRoutingThreshold: number;
  /** Also smart-route requests that name the default model (not only `auto`). */
  smartRouteDefaultModel: boolean;

  retryEnabled: boolean;
  /** Attempts per model, the first included. */
  retryMaxAttempts: number;
  /** First backoff delay; doubled each attempt, with jitter. */
  retryBackoffBaseMs: number;
  /** Longest wait between attempts; a retry-after beyond it is handed to the client instead. */
  retryMaxDelayMs: number;

  circuitBreakerEnabled: boolean;
  /** Consecutive upstream failures that open a model's circuit. */
  circuitBreakerThreshold: number;
  /** How long an open circuit rejects before one probe request may test it. */
  circuitBreakerTimeoutMs: number;

  /** Models in fallback order (aliases allowed); a request for one falls back to those after it. Empty: none. */
  fallbackChain: string[];

  rateLimitEnabled: boolean;
  /** Requests per minute per project; 0 means unlimited. */
  rateLimitRpm: number;
  /** Tokens (input + output) per minute per project; 0 means unlimited. */
  rateLimitTpm: number;
}

export const ROUTING_RELIABILITY_DEFAULTS: Readonly<RoutingReliabilityConfig> = Object.freeze({
  enableSmartRouting: false,
  opusRoutingThreshold: 0.5,
  smartRouteDefaultModel: false,
  retryEnabled: true,
  retryMaxAttempts: 3,
  retryBackoffBaseMs: 500,
  retryMaxDelayMs: 5_000,
  circuitBreakerEnabled: true,
  circuitBreakerThreshold: 5,
  circuitBreakerTimeoutMs: 30_000,
  fallbackChain: ['opus', 'sonnet'],
  rateLimitEnabled: false,
  rateLimitRpm: 60,
  rateLimitTpm: 0,
});

export function readRoutingReliability(read: EnvReader): RoutingReliabilityConfig {
  const d = ROUTING_RELIABILITY_DEFAULTS;
  const chain = read.string('FALLBACK_CHAIN');
  return {
    enableSmartRouting: read.bool('ENABLE_SMART_ROUTING', d.enableSmartRouting),
    opusRoutingThreshold: read.number('OPUS_ROUTING_THRESHOLD', d.opusRoutingThreshold, { min: 0, max: 1 }),
    smartRouteDefaultModel: read.bool('SMART_ROUTE_DEFAULT_MODEL', d.smartRouteDefaultModel),
    retryEnabled: read.bool('RETRY_ENABLED', d.retryEnabled),
    retryMaxAttempts: read.int('RETRY_MAX_ATTEMPTS', d.retryMaxAttempts, { min: 1, max: 10 }),
    retryBackoffBaseMs: read.number('RETRY_BACKOFF_BASE', d.retryBackoffBaseMs / 1000, { min: 0, max: 60 }) * 1000,
    retryMaxDelayMs: read.number('RETRY_MAX_DELAY_SECONDS', d.retryMaxDelayMs / 1000, { min: 0, max: 300 }) * 1000,
    circuitBreakerEnabled: read.bool('CIRCUIT_BREAKER_ENABLED', d.circuitBreakerEnabled),
    circuitBreakerThreshold: read.int('CIRCUIT_BREAKER_THRESHOLD', d.circuitBreakerThreshold, { min: 1, max: 1000 }),
    circuitBreakerTimeoutMs: read.number('CIRCUIT_BREAKER_TIMEOUT', d.circuitBreakerTimeoutMs / 1000, { min: 0.01, max: 3600 }) * 1000,
    fallbackChain: chain === undefined ? [...d.fallbackChain] : ['off', 'none'].includes(chain.toLowerCase()) ? [] : read.list('FALLBACK_CHAIN'),
    rateLimitEnabled: read.bool('RATE_LIMIT_ENABLED', d.rateLimitEnabled),
    rateLimitRpm: read.int('RATE_LIMIT_RPM', d.rateLimitRpm, { min: 0 }),
    rateLimitTpm: read.int('RATE_LIMIT_TPM', d.rateLimitTpm, { min: 0 }),
  };
}
