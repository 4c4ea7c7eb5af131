// Anthropic reports cache writes as one count plus a split by lifetime (`cache_creation`); 1-hour writes cost
// more than 5-minute ones, so the split is kept for pricing.

/** The 1-hour part of an Anthropic usage object's cache writes, when it says. */
export function oneHourCacheWrites(usage: unknown): number | undefined {
  const split = (usage as { cache_creation?: { ephemeral_1h_input_tokens?: unknown } | null } | null | undefined)?.cache_creation;
  const oneHour = split?.ephemeral_1h_input_tokens;
  return typeof oneHour === 'number' && Number.isFinite(oneHour) && oneHour > 0 ? oneHour : undefined;
}
