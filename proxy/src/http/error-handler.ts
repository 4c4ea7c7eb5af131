// Every error leaves the gateway in the caller's API shape: OpenAI's for OpenAI routes, Anthropic's for the
// native pass-through. Never a stack trace, never a 500 for bad input, never Fastify's own error body.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';
import { validatedPart, validationError } from './validation-error.ts';

/** Error messages can quote what the client sent; they are cut to this length. */
const MAX_MESSAGE = 2000;

const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'request_too_large', message: 'Request body is larger than MAX_BODY_BYTES allows.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: 'Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is empty; send a JSON object.' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'The request URL is not valid (bad percent-encoding).' },
  FST_ERR_INVALID_URL: { status: 400, code: 'invalid_url', message: 'The request URL is not valid.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'A path segment of the request URL is too long.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'invalid_request', message: 'The request could not be routed.' },
  // Only when a validator gives no issues to name (see validation-error.ts for the usual answer).
  FST_ERR_VALIDATION: { status: 400, code: 'invalid_request', message: 'The request does not match the route schema.' },
};

/** `request`, when there is one, lets a schema refusal quote the value it refused. */
export function toGatewayError(error: unknown, request?: FastifyRequest): GatewayError {
  if (error instanceof GatewayError) return error;
  const e = error as Partial<FastifyError> & { message?: string; type?: string };
  const issue = e?.code === 'FST_ERR_VALIDATION' ? e.validation?.[0] : undefined;
  if (issue) return validationError(issue, e.validationContext, request && validatedPart(request, e.validationContext));
  const known = typeof e?.code === 'string' ? FASTIFY_ERRORS[e.code] : undefined;
  if (known) {
    const detail = e.code === 'FST_ERR_VALIDATION' && e.message ? `: ${e.message}` : '';
    return new GatewayError({ status: known.status, code: known.code, message: known.message + detail });
  }
  if (e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError || e?.statusCode === 400) {
    return new GatewayError({ status: 400, code: 'invalid_json', message: `Malformed JSON body: ${e.message ?? 'cannot parse'}` });
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new GatewayError({ status: 400, code: 'request_too_complex', message: 'The request nests too deeply to process.' });
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new GatewayError({ status: e.statusCode, message: e.message ?? 'Bad request' });
  }
  return new GatewayError({ status: 500, type: 'server_error', code: 'internal_error', message: 'The gateway failed to handle this request.' });
}

const ANTHROPIC_TYPES: Record<string, string> = {
  server_error: 'api_error',
  api_error: 'api_error',
  timeout_error: 'timeout_error',
  insufficient_quota: 'rate_limit_error',
};

function boundedMessage(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE)}... (${message.length - MAX_MESSAGE} more characters)`;
}

export function anthropicErrorBody(error: GatewayError): { type: 'error'; error: { type: string; message: string } } {
  const type = ANTHROPIC_TYPES[error.type] ?? (error.status === 413 ? 'request_too_large' : error.type);
  return { type: 'error', error: { type, message: boundedMessage(error.message) } };
}

function openaiErrorBody(error: GatewayError) {
  const body = error.toJSON();
  body.error.message = boundedMessage(body.error.message);
  if (body.error.param !== null && body.error.param.length > 256) body.error.param = `${body.error.param.slice(0, 253)}...`;
  return body;
}

/** The native pass-through answers in Anthropic's shape, even before routing found it (framework errors). */
function wantsAnthropicShape(request: FastifyRequest): boolean {
  const configured = request.routeOptions?.config?.errorShape;
  if (configured) return configured === 'anthropic';
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  return path.startsWith('/v1/messages');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: GatewayError) {
  if (request.record) request.record.errorType = error.code ?? error.type;
  reply.code(error.status).headers(error.headers);
  if (wantsAnthropicShape(request)) return reply.send(anthropicErrorBody(error));
  return reply.send(openaiErrorBody(error));
}

/** Fastify's framework errors (bad URL, over-long path segment) happen before routing: no hooks have run. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const gatewayError = toGatewayError(error);
  const body = wantsAnthropicShape(request) ? anthropicErrorBody(gatewayError) : openaiErrorBody(gatewayError);
  reply.code(gatewayError.status).header('content-type', 'application/json; charset=utf-8').header('x-request-id', request.id).send(JSON.stringify(body));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a header block over the limit, bytes that are not
 * HTTP) still get an answer in OpenAI's error shape, then the connection closes.
 */
export function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    error: {
      message: tooLarge ? 'The request headers are too large.' : 'The request is not valid HTTP.',
      type: 'invalid_request_error',
      param: null,
      code: tooLarge ? 'headers_too_large' : 'bad_http_request',
    },
  });
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const gatewayError = toGatewayError(error, request);
    if (gatewayError.status >= 500 && !(error instanceof GatewayError)) {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendError(request, reply, gatewayError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    const error = new GatewayError({ status: 404, type: 'not_found_error', code: 'unknown_route', message: `Unknown route: ${request.method.slice(0, 20)} ${path}` });
    return sendError(request, reply, error);
  });
}
