// Billed input cost in token-equivalents, from the upstream's usage: uncached input at 1x, cache writes at
// 1.25x (5-minute) or 2x (1-hour), cache reads at 0.1x.
export interface UpstreamUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
}

export function billedInput(usage: UpstreamUsage): number {
  const oneHour = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const fiveMinutes = usage.cache_creation ? usage.cache_creation.ephemeral_5m_input_tokens : usage.cache_creation_input_tokens;
  return usage.input_tokens + 1.25 * fiveMinutes + 2 * oneHour + 0.1 * usage.cache_read_input_tokens;
}
