// One failed upstream attempt, described once: what the client would see, whether it is worth retrying,
// whether it says the upstream is unhealthy, and what the telemetry calls it.
import { GatewayError } from '../errors.ts';
import { fromAnthropicError } from '../translate/upstream-error.ts';
import { fromTransportError, isAbortError } from '../upstream/transport-error.ts';
import { parseRetryAfterMs, RETRYABLE_STATUSES } from './retry-policy.ts';

export interface AttemptFailure {
  /** What the client gets if this is the last word. */
  error: GatewayError;
  /** Anthropic's HTTP status; null when there was none (no answer, or an error event inside a 200 stream). */
  upstreamStatus: number | null;
  /** Telemetry type: Anthropic's error type, or connection_error / timeout_error / the gateway's code. */
  type: string;
  retryable: boolean;
  overloaded: boolean;
  /** Counts toward opening the circuit: the upstream is failing, not the request or the account's quota. */
  circuitFailure: boolean;
  retryAfterMs?: number;
}

/** Thrown by an attempt whose upstream answered with an error status. */
export class UpstreamAttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.error.message);
    this.name = 'UpstreamAttemptError';
  }
}

type Headers = Record<string, string | string[] | undefined>;

function flat(headers: Headers): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function errorType(body: unknown): string | undefined {
  const error = (body as { error?: { type?: unknown } } | null)?.error;
  return typeof error?.type === 'string' ? error.type : undefined;
}

/** An HTTP error answer from Anthropic. */
export function httpFailure(status: number, body: unknown, headers: Headers, nowMs: number): AttemptFailure {
  const flatHeaders = flat(headers);
  const failure: AttemptFailure = {
    error: fromAnthropicError(status, body, flatHeaders),
    upstreamStatus: status,
    type: errorType(body) ?? `http_${status}`,
    retryable: RETRYABLE_STATUSES.has(status),
    overloaded: status === 529 || status === 503 || errorType(body) === 'overloaded_error',
    circuitFailure: status >= 500,
  };
  const retryAfter = parseRetryAfterMs(flatHeaders, nowMs);
  if (retryAfter !== undefined) failure.retryAfterMs = retryAfter;
  return failure;
}

/** Errors that come from the upstream or the way to it (statuses, events, sockets), as opposed to gateway bugs. */
export function isUpstreamFailure(error: unknown): boolean {
  if (error instanceof UpstreamAttemptError || error instanceof GatewayError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '';
}

const GATEWAY_RETRYABLE = new Set([429, 502, 503, 504]);

/** Anything an attempt threw: an error status, an error event before the first byte, a transport failure. */
export function thrownFailure(error: unknown): AttemptFailure {
  if (error instanceof UpstreamAttemptError) return error.failure;
  if (error instanceof GatewayError) {
    const timeout = error.code === 'upstream_timeout';
    const transport = timeout || error.code === 'upstream_unreachable';
    return {
      error,
      upstreamStatus: null,
      type: timeout ? 'timeout_error' : transport ? 'connection_error' : error.type === 'server_error' ? 'api_error' : error.type,
      retryable: GATEWAY_RETRYABLE.has(error.status),
      overloaded: error.type === 'overloaded_error',
      circuitFailure: error.status >= 500,
    };
  }
  if (isAbortError(error)) {
    return {
      error: new GatewayError({ status: 499, type: 'server_error', code: 'client_closed', message: 'The client closed the connection.' }),
      upstreamStatus: null,
      type: 'client_closed',
      retryable: false,
      overloaded: false,
      circuitFailure: false,
    };
  }
  const mapped = fromTransportError(error);
  return {
    error: mapped,
    upstreamStatus: null,
    type: mapped.code === 'upstream_timeout' ? 'timeout_error' : 'connection_error',
    retryable: true,
    overloaded: false,
    circuitFailure: true,
  };
}
