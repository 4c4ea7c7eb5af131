// The reliability pieces a gateway shares across its routes, built once from the config and the host's stores.
import type { RoutingReliabilityConfig } from '../config/routing-reliability.ts';
import { CircuitBreaker, type CircuitView } from './circuit-breaker.ts';
import { createLocalCircuitStore, type CircuitStateStore } from './circuit-store.ts';
import { createErrorRing, type ErrorSink } from './error-events.ts';
import { createLocalRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { ReliabilityDeps } from './resilient-call.ts';
import { abortableSleep, type Sleep } from './sleep.ts';

export interface ReliabilityOptions {
  now: () => number;
  newId: () => string;
  upstreamBaseUrl: string;
  errorSink?: ErrorSink;
  circuitStore?: CircuitStateStore;
  rateLimitStore?: RateLimitStore;
  random?: () => number;
  sleep?: Sleep;
  /**
   * Several upstreams: the pool keeps a circuit per upstream and model itself, so the per-call circuit is off
   * (one failing upstream must not close a model that others still serve).
   */
  circuitsPerUpstream?: boolean;
}

export interface Reliability {
  call: ReliabilityDeps;
  breaker: CircuitBreaker;
  rateLimiter: RateLimiter;
  errors: ErrorSink;
  /** Every circuit this gateway has used and its last known state (for /health and the circuit-state metric). */
  circuitStates(): CircuitView[];
}

/** The name circuits and telemetry use for an upstream: its host. */
export function upstreamName(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export function createReliability(config: RoutingReliabilityConfig, options: ReliabilityOptions): Reliability {
  const breaker = new CircuitBreaker({
    enabled: config.circuitBreakerEnabled,
    threshold: config.circuitBreakerThreshold,
    timeoutMs: config.circuitBreakerTimeoutMs,
    store: options.circuitStore ?? createLocalCircuitStore(),
    now: options.now,
  });
  const errors = options.errorSink ?? createErrorRing();
  return {
    breaker,
    errors,
    rateLimiter: new RateLimiter(options.rateLimitStore ?? createLocalRateLimitStore(), options.now),
    call: {
      breaker: options.circuitsPerUpstream ? new CircuitBreaker({ enabled: false, threshold: 1, timeoutMs: 1, store: createLocalCircuitStore(), now: options.now }) : breaker,
      errors,
      retry: {
        enabled: config.retryEnabled,
        maxAttempts: config.retryMaxAttempts,
        baseMs: config.retryBackoffBaseMs,
        maxDelayMs: config.retryMaxDelayMs,
      },
      sleep: options.sleep ?? abortableSleep,
      random: options.random ?? Math.random,
      now: options.now,
      newId: options.newId,
      upstreamName: options.circuitsPerUpstream ? 'upstreams' : upstreamName(options.upstreamBaseUrl),
    },
    circuitStates: () => breaker.states(),
  };
}

/** The circuit-state view of a gateway's reliability services (what `gateway_circuit_state` exports). */
export function circuitStates(reliability: Pick<Reliability, 'circuitStates'>): CircuitView[] {
  return reliability.circuitStates();
}
