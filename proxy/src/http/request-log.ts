// The one log line per request: what came in, where it went, what came back. Never a body, never a key.
import type { FastifyRequest } from 'fastify';

export function logLine(request: FastifyRequest, status: number, now: number): Record<string, unknown> {
  const r = request.record ?? { startedAt: now };
  const line: Record<string, unknown> = {
    method: request.method,
    path: request.url.split('?')[0],
    status,
    ms: now - r.startedAt,
    client: request.headers['user-agent'],
  };
  for (const [key, value] of Object.entries(r)) {
    if (key !== 'startedAt' && value !== undefined) line[key] = value;
  }
  return line;
}
