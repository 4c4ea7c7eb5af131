// The one log line per request: what came in, where it went, what came back. Never a body, never a key.
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/** Client-supplied text (a path, a model id, a user agent) is bounded in the log like everywhere else. */
const MAX_LOGGED_TEXT = 512;
const MAX_LOGGED_ITEMS = 50;

function bounded(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_LOGGED_TEXT ? `${value.slice(0, MAX_LOGGED_TEXT)}...(+${value.length - MAX_LOGGED_TEXT})` : value;
  if (Array.isArray(value)) return value.slice(0, MAX_LOGGED_ITEMS).map(bounded);
  return value;
}

export function logLine(request: FastifyRequest, status: number, now: number): Record<string, unknown> {
  const r = request.record ?? { startedAt: now };
  const line: Record<string, unknown> = {
    method: bounded(request.method),
    path: bounded(request.url.split('?')[0]),
    status,
    ms: now - r.startedAt,
    client: bounded(request.headers['user-agent']),
  };
  for (const [key, value] of Object.entries(r)) {
    if (key !== 'startedAt' && value !== undefined) line[key] = bounded(value);
  }
  return line;
}

/** Writes the request's line: error level for 5xx, info otherwise. Skips building it when that level is off. */
export function writeRequestLog(request: FastifyRequest, status: number, now: number): void {
  const level = status >= 500 ? 'error' : 'info';
  if (!levelEnabled(request.log, level)) return;
  request.log[level](logLine(request, status, now), 'request');
}

/** pino answers isLevelEnabled; a logger that cannot say is asked to log and decides itself. */
function levelEnabled(log: FastifyBaseLogger, level: 'info' | 'error'): boolean {
  const check = (log as Partial<{ isLevelEnabled(level: string): boolean }>).isLevelEnabled;
  return typeof check !== 'function' || check.call(log, level);
}
