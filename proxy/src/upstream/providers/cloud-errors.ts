// A cloud's error answer in Anthropic's shape, so the rest of the gateway (retries, failover, the client's error)
// reads every provider the same way. Bedrock names its errors in x-amzn-ErrorType and a {message} body;
// Vertex answers Google's {error: {code, status, message}}, or Anthropic's own shape for model errors.

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

const BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'api_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

/** Bedrock exception names (also used by in-stream exception frames, camel-cased) → Anthropic error types. */
const BEDROCK_EXCEPTIONS: Record<string, string> = {
  throttlingexception: 'rate_limit_error',
  servicequotaexceededexception: 'rate_limit_error',
  serviceunavailableexception: 'overloaded_error',
  modelnotreadyexception: 'overloaded_error',
  internalserverexception: 'api_error',
  modelstreamerrorexception: 'api_error',
  modeltimeoutexception: 'api_error',
  modelerrorexception: 'api_error',
  validationexception: 'invalid_request_error',
  accessdeniedexception: 'permission_error',
  unrecognizedclientexception: 'authentication_error',
  resourcenotfoundexception: 'not_found_error',
};

export function errorTypeForStatus(status: number): string {
  return BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function bedrockErrorType(exception: string | undefined, status: number): string {
  const name = (exception ?? '').split(':')[0]!.toLowerCase();
  return BEDROCK_EXCEPTIONS[name] ?? errorTypeForStatus(status);
}

/** The error body fields the clouds use, any of which may be missing. */
interface CloudErrorJson {
  type?: unknown;
  error?: { type?: unknown; message?: unknown };
  message?: unknown;
  Message?: unknown;
}

function parse(text: string): CloudErrorJson | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parse(JSON.stringify(parsed[0] ?? null));
    return parsed && typeof parsed === 'object' ? (parsed as CloudErrorJson) : undefined;
  } catch {
    return undefined;
  }
}

/** Already in Anthropic's shape (a model error passed through by the cloud). */
function anthropicShaped(body: CloudErrorJson | undefined): body is AnthropicErrorBody {
  return body?.type === 'error' && typeof body.error?.type === 'string';
}

export function bedrockErrorBody(status: number, text: string, exceptionHeader: string | undefined): AnthropicErrorBody {
  const body = parse(text);
  if (anthropicShaped(body)) return body;
  const message = typeof body?.message === 'string' ? body.message : typeof body?.Message === 'string' ? body.Message : text.slice(0, 500) || `HTTP ${status}`;
  return { type: 'error', error: { type: bedrockErrorType(exceptionHeader, status), message: `Amazon Bedrock: ${message}` } };
}

export function vertexErrorBody(status: number, text: string): AnthropicErrorBody {
  const body = parse(text);
  if (anthropicShaped(body)) return body;
  const google = body?.error;
  const message = typeof google?.message === 'string' ? google.message : text.slice(0, 500) || `HTTP ${status}`;
  return { type: 'error', error: { type: errorTypeForStatus(status), message: `Google Vertex AI: ${message}` } };
}
