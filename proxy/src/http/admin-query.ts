// Query parameters the admin routes share, validated into filters: a bad value is a 400 naming the parameter.
import { invalidRequest } from '../errors.ts';
import type { UsageFilter } from '../store/usage-filter.ts';
import type { StatusFilter } from '../store/usage-queries.ts';

export type Query = Record<string, unknown>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be given once`, name);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An ISO date (midnight UTC) or date-time (UTC unless it names an offset), as ms since the epoch. */
export function parseInstant(value: string, name: string): number {
  const date = DATE.exec(value);
  const time = date ? undefined : DATETIME.exec(value);
  const parts = date ?? time;
  if (!parts) throw invalidRequest(`${name} must be an ISO date (2026-11-01) or date-time (2026-11-01T09:30:00Z), got "${value}"`, name);
  const [, y, mo, d] = parts;
  const text = date ? `${value}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  // Date.parse rolls 2026-02-30 over into March; a real calendar date survives the round trip.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (!Number.isFinite(ms) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) {
    throw invalidRequest(`${name} is not a valid date: "${value}"`, name);
  }
  return ms;
}

export interface ParsedFilter extends UsageFilter {
  /** The bounds as ISO strings for the response, null when open. */
  fromIso: string | null;
  toIso: string | null;
}

export function usageFilter(query: Query): ParsedFilter {
  const from = single(query, 'from');
  const to = single(query, 'to');
  const fromMs = from === undefined ? undefined : parseInstant(from, 'from');
  const toMs = to === undefined ? undefined : parseInstant(to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw invalidRequest('from must not be after to', 'from');
  const project = single(query, 'project');
  const model = single(query, 'model');
  return {
    ...(fromMs !== undefined && { fromMs }),
    ...(toMs !== undefined && { toMs }),
    ...(project !== undefined && { projectId: project }),
    ...(model !== undefined && { model }),
    fromIso: fromMs === undefined ? null : new Date(fromMs).toISOString(),
    toIso: toMs === undefined ? null : new Date(toMs).toISOString(),
  };
}

export function limitParam(query: Query, fallback = 50, max = 500): number {
  const raw = single(query, 'limit');
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidRequest(`limit must be an integer between 1 and ${max}, got "${raw}"`, 'limit');
  return n;
}

export function stringParam(query: Query, name: string): string | undefined {
  return single(query, name);
}

export function statusParam(query: Query): StatusFilter | undefined {
  const raw = single(query, 'status');
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === 'error' || lower === '2xx' || lower === '3xx' || lower === '4xx' || lower === '5xx') return lower;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 100 && n <= 599) return n;
  throw invalidRequest(`status must be an HTTP status (e.g. 429), a class (2xx, 4xx, 5xx) or "error", got "${raw}"`, 'status');
}

export function oneOfParam<T extends string>(query: Query, name: string, allowed: readonly T[], fallback: T): T {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw invalidRequest(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`, name);
}
