// Query-string schemas of the /admin routes, each with the interface its handler reads `request.query` as.
// The schema checks types, lengths, patterns, bounds and defaults; admin-query.ts checks what a schema cannot
// (a real calendar date, from before to, the forms of a status filter).
import { MEMORY_KINDS, type MemoryKind } from '../../memory/memory-types.ts';
import { isoInstant, oneOf, pageLimit, queryText } from './query-fields.ts';

const usageFields = { from: isoInstant, to: isoInstant, project: queryText, model: queryText } as const;

/** /admin/usage, /admin/usage/daily, /admin/costs, /admin/errors/stats and /admin/routing. */
export const USAGE_QUERY = { type: 'object', properties: usageFields } as const;
export interface UsageQuery {
  from?: string;
  to?: string;
  project?: string;
  model?: string;
}

/** /admin/requests: the dashboard's feed, newest first. */
export const REQUESTS_QUERY = {
  type: 'object',
  properties: { ...usageFields, limit: pageLimit(50, 500), before: queryText, status: queryText, q: queryText },
} as const;
export interface RequestsQuery extends UsageQuery {
  limit: number;
  before?: string;
  status?: string;
  q?: string;
}

/** /admin/errors: error events, newest first. */
export const ERRORS_QUERY = { type: 'object', properties: { ...usageFields, limit: pageLimit(50, 500), before: queryText } } as const;
export interface ErrorsQuery extends UsageQuery {
  limit: number;
  before?: string;
}

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_GRANULARITIES = ['request', 'day'] as const;
export type ExportGranularity = (typeof EXPORT_GRANULARITIES)[number];

/** /admin/export: a usage report as a download. */
export const EXPORT_QUERY = {
  type: 'object',
  properties: { ...usageFields, format: oneOf(EXPORT_FORMATS, 'csv'), granularity: oneOf(EXPORT_GRANULARITIES, 'request') },
} as const;
export interface ExportQuery extends UsageQuery {
  format: ExportFormat;
  granularity: ExportGranularity;
}

/** /admin/memories: newest first, or ranked by `q`. */
export const MEMORIES_QUERY = {
  type: 'object',
  properties: { project: queryText, kind: { type: 'string', enum: MEMORY_KINDS }, limit: pageLimit(50, 500), q: queryText, before: queryText },
} as const;
export interface MemoriesQuery {
  project?: string;
  kind?: MemoryKind;
  limit: number;
  q?: string;
  before?: string;
}

/** /admin/tools: with `project`, which tools that project may use. */
export const TOOLS_QUERY = { type: 'object', properties: { project: queryText } } as const;
export interface ToolsQuery {
  project?: string;
}
