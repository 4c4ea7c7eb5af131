// Every error leaves the gateway in the caller's API shape: OpenAI's for OpenAI routes, Anthropic's for the
// native pass-through. Never a stack trace, never a 500 for bad input.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';

export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const e = error as Partial<FastifyError> & { message?: string; type?: string };
  switch (e?.code ?? '') {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError({ status: 400, code: 'invalid_json', message: `Malformed JSON body: ${e.message ?? 'cannot parse'}` });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError({ status: 413, code: 'request_too_large', message: 'Request body is larger than MAX_BODY_BYTES allows.' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError({ status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError({ status: 400, code: 'invalid_content_length', message: 'Content-Length does not match the body.' });
  }
  if (e instanceof SyntaxError || e?.statusCode === 400) {
    return new GatewayError({ status: 400, code: 'invalid_json', message: `Malformed JSON body: ${e.message ?? 'cannot parse'}` });
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
};

export function anthropicErrorBody(error: GatewayError): { type: 'error'; error: { type: string; message: string } } {
  const type = ANTHROPIC_TYPES[error.type] ?? (error.status === 413 ? 'request_too_large' : error.type);
  return { type: 'error', error: { type, message: error.message } };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: GatewayError) {
  request.record.errorType = error.code ?? error.type;
  reply.code(error.status).headers(error.headers);
  if (request.routeOptions.config?.errorShape === 'anthropic') return reply.send(anthropicErrorBody(error));
  return reply.send(error.toJSON());
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const gatewayError = toGatewayError(error);
    if (gatewayError.status >= 500 && !(error instanceof GatewayError)) {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendError(request, reply, gatewayError);
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new GatewayError({ status: 404, type: 'not_found_error', code: 'unknown_route', message: `Unknown route: ${request.method} ${request.url.split('?')[0]}` });
    return sendError(request, reply, error);
  });
}
