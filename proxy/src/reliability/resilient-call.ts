// Runs one upstream call with the gateway's reliability: each model's circuit is consulted, failed attempts are
// retried with backoff (honouring retry-after), an overloaded or unavailable model hands over to the next one
// in the fallback chain, and every failure is reported as an ErrorEvent. The attempt function does everything
// up to the point where the client would see a byte; once it returns, nothing is retried.
import { GatewayError } from '../errors.ts';
import { isUpstreamFailure, thrownFailure, type AttemptFailure } from './attempt-failure.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { clipMessage, type ErrorSink } from './error-events.ts';
import { planAfterFailure, type RetrySettings } from './retry-policy.ts';
import type { Sleep } from './sleep.ts';

export interface ReliabilityDeps {
  breaker: CircuitBreaker;
  retry: RetrySettings;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  newId: () => string;
  errors: ErrorSink;
  /** The upstream's name in circuit keys and telemetry, e.g. api.anthropic.com. */
  upstreamName: string;
}

export interface CallContext {
  requestId: string;
  projectId: string;
  signal: AbortSignal;
  /** Models to try in order: the routed one first, then its fallbacks. */
  models: string[];
  /** Whether the circuit breaker applies (not for cheap calls such as count_tokens). */
  useCircuit?: boolean;
}

export type FallbackWhy = 'overloaded' | 'circuit open' | 'failing' | 'retry-after too long';

export interface CallResult<T> {
  value: T;
  /** The model that answered. */
  model: string;
  /** Upstream attempts made, the successful one included. */
  attempts: number;
  /** The first model given up on, and why, when another model answered. */
  fallback: { from: string; why: FallbackWhy } | null;
}

/** Errors already reported as ErrorEvents, so the HTTP layer does not report them twice. */
const reported = new WeakSet<object>();

export function wasReported(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

export function markReported(error: unknown): void {
  if (typeof error === 'object' && error !== null) reported.add(error);
}

export async function callWithReliability<T>(
  deps: ReliabilityDeps,
  call: CallContext,
  attempt: (model: string, attemptNumber: number) => Promise<T>,
): Promise<CallResult<T>> {
  const useCircuit = call.useCircuit !== false;
  let attempts = 0;
  let fallback: CallResult<T>['fallback'] = null;
  let lastError: GatewayError | undefined;

  const report = (model: string, type: string, status: number, message: string) =>
    deps.errors.record({
      id: `err_${deps.newId()}`,
      ts: new Date(deps.now()).toISOString(),
      requestId: call.requestId,
      projectId: call.projectId,
      model,
      type,
      status,
      attempt: attempts,
      message: clipMessage(message),
    });

  for (let index = 0; index < call.models.length; index++) {
    const model = call.models[index]!;
    const hasFallback = index < call.models.length - 1;
    const leave = (why: FallbackWhy) => {
      fallback ??= { from: model, why };
    };

    const gate = useCircuit ? await deps.breaker.admit(deps.upstreamName, model) : { admission: 'pass' as const, retryInMs: 0 };
    if (gate.admission === 'reject') {
      lastError = circuitOpenError(model, gate.retryInMs);
      report(model, 'circuit_open', 503, lastError.message);
      markReported(lastError);
      leave('circuit open');
      continue;
    }

    for (let onModel = 1; ; onModel++) {
      attempts++;
      let failure: AttemptFailure;
      try {
        const value = await attempt(model, attempts);
        if (useCircuit) await deps.breaker.success(deps.upstreamName, model);
        return { value, model, attempts, fallback };
      } catch (error) {
        // A client that left, or a fault in the gateway itself, is not the upstream's failure: no retry.
        if (call.signal.aborted || !isUpstreamFailure(error)) throw error;
        failure = thrownFailure(error);
      }
      report(model, failure.type, failure.upstreamStatus ?? failure.error.status, failure.error.message);
      markReported(failure.error);
      lastError = failure.error;
      if (useCircuit) {
        if (failure.circuitFailure) await deps.breaker.failure(deps.upstreamName, model);
        else await deps.breaker.success(deps.upstreamName, model);
      }

      const plan = planAfterFailure({ failure, attemptsOnModel: onModel, settings: deps.retry, hasFallback, random: deps.random });
      if (plan.action === 'give_up') throw failure.error;
      if (plan.action === 'fallback') {
        leave(plan.why);
        break;
      }
      await deps.sleep(plan.delayMs, call.signal);
    }
  }
  throw lastError ?? new GatewayError({ status: 502, type: 'server_error', code: 'upstream_error', message: 'No model could be called.' });
}

function circuitOpenError(model: string, retryInMs: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  return new GatewayError({
    status: 503,
    type: 'overloaded_error',
    code: 'circuit_open',
    message: `${model} is failing upstream; the gateway stopped sending it requests for a moment. Try again in ${seconds}s.`,
    headers: { 'retry-after': String(seconds) },
  });
}
