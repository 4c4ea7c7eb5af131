// Building blocks of the query-string schemas. Query values arrive as text: Fastify's Ajv turns digits into
// integers, fills in defaults, and refuses a value given twice (an array where one value is expected).
import { ISO_INSTANT_DESCRIPTION, ISO_INSTANT_PATTERN } from './iso-instant.ts';

/** Longer than any id, model or project name; a longer value is refused before it reaches a query. */
export const MAX_QUERY_TEXT = 256;

export const queryText = { type: 'string', maxLength: MAX_QUERY_TEXT } as const;

export const isoInstant = { type: 'string', maxLength: 64, pattern: ISO_INSTANT_PATTERN } as const;

/** A page size from 1 to `max`, `fallback` when the query names none. */
export function pageLimit<F extends number, M extends number>(fallback: F, max: M) {
  return { type: 'integer', minimum: 1, maximum: max, default: fallback } as const;
}

/** One of `values`, `fallback` when the query names none. */
export function oneOf<const V extends readonly string[]>(values: V, fallback: V[number]) {
  return { type: 'string', enum: values, default: fallback } as const;
}

/** A parameter that may be repeated (`?include=a&include=b`); a single value becomes a list of one. */
export const queryTextList = { type: 'array', maxItems: 16, items: queryText } as const;

/** Validation messages name a pattern by what it means, not by its regular expression. */
export const PATTERN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [ISO_INSTANT_PATTERN]: ISO_INSTANT_DESCRIPTION,
};
