// Response helpers: JSON bodies with the headers the API always sends (request-id and the organization id).
import { ApiError, errorBody } from './api-error.ts';
import type { RouteContext } from './context.ts';

export const ORGANIZATION_ID = '3f7c2a91-5d4e-4b8a-9c1f-6e2d8a0b7c35';

export function baseHeaders(requestId: string): Record<string, string> {
  return { 'request-id': requestId, 'anthropic-organization-id': ORGANIZATION_ID };
}

export function sendJson(ctx: Pick<RouteContext, 'res' | 'requestId'>, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    ...baseHeaders(ctx.requestId),
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...extra,
  });
  ctx.res.end(text);
}

export function sendError(ctx: Pick<RouteContext, 'res' | 'requestId'>, err: ApiError): void {
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return;
  }
  sendJson(ctx, err.status, errorBody(err.type, err.message, ctx.requestId), err.headers);
}

/** Anything unexpected surfaces as the API's generic 500. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(500, 'Internal server error');
}
