// What a route with a query-string schema adds to its options. Before the schema sees them, values are trimmed and
// a blank one is dropped, as these routes have always read them: `?project=` means every project, and `?limit=`
// gets the default.
import type { FastifyRequest } from 'fastify';

export async function blankQueryValuesAbsent(request: FastifyRequest): Promise<void> {
  // Still the parser's plain object of strings (or lists of them, for a repeated name): the schema runs next.
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed === '') delete query[name];
    else query[name] = trimmed;
  }
}

/** Spread into a route's options next to its `schema: { querystring }`. */
export const QUERY_ROUTE = { preValidation: blankQueryValuesAbsent };
