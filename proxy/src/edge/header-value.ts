// Response header values the gateway writes can carry what a client sent (a model id, a tool name, a note about
// its request). Every value leaves as one line of printable ASCII with a bounded length, so no client value can
// split a header, inject another, or grow the response head past what HTTP clients will parse.

/** Longest single header value the gateway writes. */
export const MAX_HEADER_VALUE = 1024;
/** Longest notes header (X-Gateway-Adjustments), which lists several notes. */
export const MAX_NOTES_HEADER = 4096;

export function boundedHeaderValue(value: string, max: number = MAX_HEADER_VALUE): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  if (clean.length <= max) return clean;
  const marker = `...(+${clean.length - max} chars)`;
  return clean.slice(0, Math.max(0, max - marker.length)) + marker;
}

/** Several notes joined by "; ", keeping whole notes while they fit and counting the ones left out. */
export function boundedNotes(notes: readonly string[], max: number = MAX_NOTES_HEADER): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, note] of notes.entries()) {
    const line = boundedHeaderValue(note, MAX_HEADER_VALUE);
    const omitted = `(+${notes.length - i} more notes)`;
    if (length + line.length + 2 + omitted.length + 2 > max && i < notes.length - 1) {
      kept.push(omitted);
      break;
    }
    kept.push(line);
    length += line.length + 2;
  }
  return boundedHeaderValue(kept.join('; '), max);
}
