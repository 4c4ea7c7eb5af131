// Query-string schemas of the batch and file routes (/v1/batch, /v1/batches, /v1/files), each with the
// interface its handler reads `request.query` as.
import { pageLimit, queryText } from './query-fields.ts';

/** GET /v1/batch and GET /v1/batches: a page of the project's batches, newest first, after a cursor. */
export const BATCH_LIST_QUERY = { type: 'object', properties: { limit: pageLimit(20, 100), after: queryText } } as const;
export interface BatchListQuery {
  limit: number;
  after?: string;
}

/** GET /v1/batch/{id}: the results are included unless `results=false`. */
export const BATCH_QUERY = { type: 'object', properties: { results: queryText } } as const;
export interface BatchQuery {
  results?: string;
}

/** GET /v1/files: the project's files. */
export const FILES_QUERY = { type: 'object', properties: { limit: pageLimit(100, 10_000) } } as const;
export interface FilesQuery {
  limit: number;
}
