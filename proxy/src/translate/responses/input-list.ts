// The items a request added, as GET /v1/responses/{id}/input_items lists them: each with an id (the client's,
// or one derived from the response id and position) and a page of them in the order asked for.
import { invalidRequest } from '../../errors.ts';
import { isRecord } from '../json-values.ts';

/** Input items as stored: string input becomes one user message; every item gets an id. */
export function withItemIds(items: readonly unknown[], responseId: string): Record<string, unknown>[] {
  const base = responseId.replace(/^resp_/, '');
  return items.filter(isRecord).map((item, i) => {
    const typed: Record<string, unknown> = { ...(item.type === undefined ? { type: 'message' } : {}), ...item };
    if (typed.type === 'message' && typeof typed.content === 'string') {
      const part = typed.role === 'assistant' ? { type: 'output_text', text: typed.content, annotations: [] } : { type: 'input_text', text: typed.content };
      typed.content = [part];
    }
    if (typeof typed.id === 'string' && typed.id !== '') return typed;
    const prefix = typed.type === 'message' ? 'msg' : 'item';
    return { ...typed, id: `${prefix}_${base}_in${i}` };
  });
}

export interface ListQuery {
  limit?: unknown;
  order?: unknown;
  after?: unknown;
}

export function listPage(items: readonly Record<string, unknown>[], query: ListQuery): Record<string, unknown> {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest('limit must be an integer from 1 to 100', 'limit');
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest("order must be 'asc' or 'desc'", 'order');
  const ordered = order === 'asc' ? [...items] : [...items].reverse();
  let start = 0;
  if (query.after !== undefined) {
    const at = ordered.findIndex((item) => item.id === query.after);
    if (at < 0) throw invalidRequest(`No input item with id '${String(query.after)}'`, 'after');
    start = at + 1;
  }
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: start + limit < ordered.length,
  };
}
