import { GatewayError } from '../errors.ts';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Maps a failure to reach or read Anthropic (no HTTP answer) to the gateway error the client sees. */
export function fromTransportError(error: unknown): GatewayError {
  // Already the client's answer (the upstream pool found every circuit open): kept as it is.
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: string } | null)?.code ?? '';
  if (TIMEOUT_CODES.has(code)) {
    const what = code === 'UND_ERR_BODY_TIMEOUT' ? 'stopped sending events' : 'did not answer in time';
    return new GatewayError({ status: 504, type: 'timeout_error', code: 'upstream_timeout', message: `The Anthropic API ${what}.` });
  }
  return new GatewayError({
    status: 502,
    type: 'server_error',
    code: 'upstream_unreachable',
    message: `The Anthropic API could not be reached (${code || (error as Error)?.message || 'connection failed'}).`,
  });
}

export function isAbortError(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | null;
  return e?.name === 'AbortError' || e?.code === 'UND_ERR_ABORTED' || e?.code === 'ABORT_ERR';
}
