// Query-string schemas of the stored side of the Responses API, each with the interface its handler reads
// `request.query` as.
import { oneOf, pageLimit, queryText, queryTextList } from './query-fields.ts';

/** `?include=reasoning.encrypted_content`, or `include[]=…` as some clients spell a list; once or repeated. */
const includeFields = { include: queryTextList, 'include[]': queryTextList } as const;
interface IncludeQuery {
  include?: string[];
  'include[]'?: string[];
}

/** GET /v1/responses/{id}. */
export const RESPONSE_QUERY = { type: 'object', properties: includeFields } as const;
export type ResponseQuery = IncludeQuery;

/** GET /v1/responses/{id}/input_items: a page of the items, in the order asked for, after a cursor. */
export const INPUT_ITEMS_QUERY = {
  type: 'object',
  properties: { ...includeFields, limit: pageLimit(20, 100), order: oneOf(['asc', 'desc'], 'desc'), after: queryText },
} as const;
export interface InputItemsQuery extends IncludeQuery {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
}
