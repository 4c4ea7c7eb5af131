// What the admin API accepts as a point in time: an ISO date, or a date-time with an optional offset. One
// pattern serves the query-string schemas and the parser that turns a value into milliseconds.

/** Groups: year, month, day, the time part (absent for a bare date) and its offset (absent means UTC). */
export const ISO_INSTANT_PATTERN = String.raw`^(\d{4})-(\d{2})-(\d{2})([Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$`;

export const ISO_INSTANT = new RegExp(ISO_INSTANT_PATTERN);

/** How an error message names the accepted forms. */
export const ISO_INSTANT_DESCRIPTION = 'an ISO date (2026-11-01) or date-time (2026-11-01T09:30:00Z)';
