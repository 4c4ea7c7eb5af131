// Anthropic errors (an HTTP status with its body, or an `error` event inside a stream) → GatewayError,
// which the HTTP layer renders in OpenAI's error shape. Statuses follow what OpenAI clients retry on:
// 429 and 5xx are retried by the SDKs, 4xx are not.
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import { GatewayError } from '../errors.ts';

interface AnthropicErrorInfo {
  type: string | null;
  message: string | null;
}

type HeaderBag = Record<string, string | string[] | undefined>;

// Anthropic's rate-limit reset hints (RFC 3339 timestamps), passed through beside retry-after.
const RATE_LIMIT_RESET_HEADERS = [
  'anthropic-ratelimit-requests-reset',
  'anthropic-ratelimit-tokens-reset',
  'anthropic-ratelimit-input-tokens-reset',
  'anthropic-ratelimit-output-tokens-reset',
];

// Anthropic request fields an error message may start with, and the OpenAI request field the client wrote.
const PARAM_NAMES: Record<string, string> = {
  model: 'model',
  messages: 'messages',
  system: 'messages',
  max_tokens: 'max_tokens',
  stop_sequences: 'stop',
  temperature: 'temperature',
  top_p: 'top_p',
  top_k: 'top_k',
  tools: 'tools',
  tool_choice: 'tool_choice',
  thinking: 'reasoning_effort',
  output_config: 'response_format',
  metadata: 'metadata',
  service_tier: 'service_tier',
  stream: 'stream',
};

export function fromAnthropicError(status: number, body: unknown, headers?: HeaderBag): GatewayError {
  const info = readErrorBody(body);
  const type = info.type ?? typeForStatus(status);
  const message = info.message ?? describeUnreadableBody(status, body);
  return toGatewayError(type, message, status, headers ?? {});
}

/** An `error` event after a 200: the status is gone, so the error type alone decides. */
export function fromAnthropicErrorEvent(error: { type: string; message: string }): GatewayError {
  const type = typeof error?.type === 'string' ? error.type : 'api_error';
  const message = typeof error?.message === 'string' && error.message ? error.message : 'Upstream stream error';
  return toGatewayError(type, message, 0, {});
}

function toGatewayError(type: string, message: string, status: number, headers: HeaderBag): GatewayError {
  switch (type as ErrorType | 'request_too_large') {
    case 'invalid_request_error':
      return invalidRequestError(message);
    case 'authentication_error':
      return new GatewayError({
        status: 401,
        type: 'authentication_error',
        code: 'upstream_authentication_failed',
        message:
          `The gateway's Anthropic API key was rejected by Anthropic (${message}). ` +
          'Your key to the gateway was accepted; the gateway operator must fix the upstream key.',
      });
    case 'permission_error':
      return new GatewayError({
        status: 403,
        type: 'permission_error',
        code: 'upstream_permission_denied',
        message: `The gateway's Anthropic API key is not allowed to do this: ${message}`,
      });
    case 'billing_error':
      return new GatewayError({
        status: 402,
        type: 'billing_error',
        code: 'upstream_billing_error',
        message: `The gateway's Anthropic account has a billing problem: ${message}`,
      });
    case 'not_found_error':
      return notFoundError(message);
    case 'conflict_error':
      return new GatewayError({ status: 409, type: 'conflict_error', message });
    case 'request_too_large':
      return new GatewayError({ status: 413, type: 'invalid_request_error', code: 'request_too_large', message });
    case 'rate_limit_error':
      return new GatewayError({
        status: 429,
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        message,
        headers: retryHeaders(headers, true),
      });
    case 'api_error':
      return new GatewayError({ status: 502, type: 'server_error', code: 'upstream_error', message });
    case 'overloaded_error':
      return new GatewayError({
        status: 503,
        type: 'overloaded_error',
        code: 'overloaded',
        message,
        headers: retryHeaders(headers, false),
      });
    case 'timeout_error':
      return new GatewayError({ status: 504, type: 'timeout_error', code: 'upstream_timeout', message });
    default:
      return unknownTypeError(type, message, status, headers);
  }
}

/** A type Anthropic added after this was written: fall back on the status, as Anthropic documents. */
function unknownTypeError(type: string, message: string, status: number, headers: HeaderBag): GatewayError {
  const known = typeForStatus(status);
  if (known !== 'api_error' || status === 500) return toGatewayError(known, message, status, headers);
  if (status >= 400 && status < 500) {
    return new GatewayError({ status, type: 'invalid_request_error', code: type, message });
  }
  return new GatewayError({ status: 502, type: 'server_error', code: type, message });
}

function typeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 409:
      return 'conflict_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}

function invalidRequestError(message: string): GatewayError {
  // OpenAI's code for an over-long prompt; agents (Cline, Roo, Continue) react to it by condensing history.
  const lower = message.toLowerCase();
  if (lower.includes('prompt is too long') || lower.includes('exceed context limit') || lower.includes('context window')) {
    return new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      param: 'messages',
      message,
    });
  }
  return new GatewayError({ status: 400, type: 'invalid_request_error', param: paramFromMessage(message), message });
}

function notFoundError(message: string): GatewayError {
  if (/\bmodel\b/i.test(message)) {
    return new GatewayError({
      status: 404,
      type: 'not_found_error',
      code: 'model_not_found',
      param: 'model',
      message: `The model was not found upstream: ${message}`,
    });
  }
  return new GatewayError({ status: 404, type: 'not_found_error', message });
}

/** 'messages.3.content: …' names the field; report its top-level OpenAI name. */
function paramFromMessage(message: string): string | null {
  const match = /^([a-z_]+)(?:\.[\w-]+)*\s*:/.exec(message);
  if (!match) return null;
  return Object.hasOwn(PARAM_NAMES, match[1]!) ? PARAM_NAMES[match[1]!]! : null;
}

function retryHeaders(headers: HeaderBag, withResetHints: boolean): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') lower[name.toLowerCase()] = text;
  }
  const out: Record<string, string> = {};
  if (lower['retry-after'] !== undefined) out['retry-after'] = lower['retry-after'];
  if (withResetHints) {
    for (const name of RATE_LIMIT_RESET_HEADERS) {
      if (lower[name] !== undefined) out[name] = lower[name];
    }
  }
  return out;
}

function readErrorBody(body: unknown): AnthropicErrorInfo {
  let value = body;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
    try {
      value = JSON.parse(text);
    } catch {
      return { type: null, message: null };
    }
  }
  if (value === null || typeof value !== 'object') return { type: null, message: null };
  // Anthropic: {type:'error', error:{type, message}}; some proxies answer with a flat {type, message}.
  const error = (value as { error?: unknown }).error;
  const source = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : (value as Record<string, unknown>);
  const type = typeof source.type === 'string' && source.type !== 'error' ? source.type : null;
  const message =
    typeof source.message === 'string' && source.message
      ? source.message
      : typeof error === 'string' && error
        ? error
        : null;
  return { type, message };
}

function describeUnreadableBody(status: number, body: unknown): string {
  let text = '';
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = new TextDecoder().decode(body);
  text = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return snippet ? `Anthropic returned HTTP ${status}: ${snippet}` : `Anthropic returned HTTP ${status} without an error message`;
}
