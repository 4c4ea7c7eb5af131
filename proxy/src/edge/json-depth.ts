// How deeply a JSON text nests, found by one scan of its brackets before anything recursive touches it.
// JSON.parse itself copes with deep input, but every recursive walk after it (normalizing, hashing, key
// sorting, logging) would overflow the stack: a body nested deeper than the limit is refused at the edge.

/** The nesting limit for request bodies and tool-call arguments: far above any real schema or payload. */
export const MAX_JSON_DEPTH = 128;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the text opens more than `limit` objects or arrays inside one another. Strings are skipped with
 * indexOf (most of an agent's request is string content), so the scan costs little more than a memchr.
 */
export function nestsDeeperThan(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i === -1) return false; // unterminated: the parser reports it
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`: the next one after an even run of backslashes. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let backslashes = 0;
    for (let k = at - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if ((backslashes & 1) === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

/**
 * What makes a parsed JSON body unsafe to hand on, found in one walk of its objects and arrays (never of its
 * strings, which are most of an agent's bytes): nesting deeper than `limit`, or a key that could reach an
 * object's prototype if copied (`__proto__`, or `constructor` holding a `prototype`). JSON.parse itself copes
 * with any depth; the walk stops at the limit, so its own recursion is bounded too.
 */
export function unsafeJson(value: unknown, limit: number = MAX_JSON_DEPTH): 'too_deep' | 'forbidden_key' | undefined {
  return unsafeAt(value, 1, limit);
}

function unsafeAt(value: unknown, depth: number, limit: number): 'too_deep' | 'forbidden_key' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > limit) return 'too_deep';
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = typeof item === 'object' && item !== null ? unsafeAt(item, depth + 1, limit) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  if (hasOwn(value, '__proto__')) return 'forbidden_key';
  const record = value as Record<string, unknown>;
  const ctor = record['constructor'];
  if (hasOwn(value, 'constructor') && typeof ctor === 'object' && ctor !== null && hasOwn(ctor, 'prototype')) return 'forbidden_key';
  for (const key in record) {
    const child = record[key];
    const found = typeof child === 'object' && child !== null ? unsafeAt(child, depth + 1, limit) : undefined;
    if (found) return found;
  }
  return undefined;
}
