// What the admin routes' query schemas cannot check, done on the values they typed: a real calendar date, a range
// that runs forwards, and the forms a status filter takes. A bad value is a 400 naming the parameter.
import { invalidRequest } from '../errors.ts';
import type { UsageFilter } from '../store/usage-filter.ts';
import type { StatusFilter } from '../store/usage-queries.ts';
import type { UsageQuery } from './schemas/admin.ts';
import { ISO_INSTANT, ISO_INSTANT_DESCRIPTION } from './schemas/iso-instant.ts';

/** An ISO date (midnight UTC) or date-time (UTC unless it names an offset), as ms since the epoch. */
export function parseInstant(value: string, name: string): number {
  const parts = ISO_INSTANT.exec(value);
  if (!parts) throw invalidRequest(`${name} must be ${ISO_INSTANT_DESCRIPTION}, got "${value}"`, name);
  const [, y, mo, d, time, offset] = parts;
  const text = time === undefined ? `${value}T00:00:00Z` : offset === undefined ? `${value}Z` : value;
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

export function usageFilter(query: UsageQuery): ParsedFilter {
  const { from, to, project, model } = query;
  const fromMs = from === undefined ? undefined : parseInstant(from, 'from');
  const toMs = to === undefined ? undefined : parseInstant(to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw invalidRequest('from must not be after to', 'from');
  return {
    ...(fromMs !== undefined && { fromMs }),
    ...(toMs !== undefined && { toMs }),
    ...(project !== undefined && { projectId: project }),
    ...(model !== undefined && { model }),
    fromIso: fromMs === undefined ? null : new Date(fromMs).toISOString(),
    toIso: toMs === undefined ? null : new Date(toMs).toISOString(),
  };
}

/** `429`, a class (`2xx` … `5xx`) or `error`, in any case. */
export function statusFilter(status: string | undefined): StatusFilter | undefined {
  if (status === undefined) return undefined;
  const lower = status.toLowerCase();
  if (lower === 'error' || lower === '2xx' || lower === '3xx' || lower === '4xx' || lower === '5xx') return lower;
  const n = Number(status);
  if (Number.isInteger(n) && n >= 100 && n <= 599) return n;
  throw invalidRequest(`status must be an HTTP status (e.g. 429), a class (2xx, 4xx, 5xx) or "error", got "${status}"`, 'status');
}
