// What a request cost, from the upstream's usage and the price table, and what the same request would have cost
// without the gateway. Pure arithmetic: every rate comes from the table.
import type { Price, Rates } from './prices.ts';

export interface BilledTokens {
  /** Uncached input. */
  inputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
}

export interface CostOptions {
  /** Billed through Message Batches: the table's batch discount comes off every token. */
  batch?: boolean;
}

const PER_MTOK = 1_000_000;

/** Rounded to a billionth of a dollar so sums of many requests do not gather float noise. */
function usd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function ratesFor(price: Price, promptTokens: number): Rates {
  const long = price.longPrompt;
  return long && promptTokens > long.aboveTokens ? long : price;
}

function discount(price: Price, options: CostOptions): number {
  return options.batch ? 1 - price.batchDiscount : 1;
}

export function costUsd(tokens: BilledTokens, price: Price | undefined, options: CostOptions = {}): number {
  if (!price) return 0;
  const prompt = tokens.inputTokens + tokens.cacheWrite5mTokens + tokens.cacheWrite1hTokens + tokens.cacheReadTokens;
  const r = ratesFor(price, prompt);
  const total =
    tokens.inputTokens * r.inputPerMTok +
    tokens.cacheWrite5mTokens * r.cacheWrite5mPerMTok +
    tokens.cacheWrite1hTokens * r.cacheWrite1hPerMTok +
    tokens.cacheReadTokens * r.cacheReadPerMTok +
    tokens.outputTokens * r.outputPerMTok;
  return usd((total / PER_MTOK) * discount(price, options));
}

/**
 * The input tokens of the request as the client sent it, in Anthropic's measure. The gateway estimates tokens
 * itself (before and after reduction); Anthropic counts exactly what it was sent. Scaling the estimate of the
 * original by real / estimated for the request actually sent removes the estimator's bias, so a request the
 * gateway left unchanged has a baseline of exactly its real input. Without a real count (nothing billed) or an
 * estimate to compare with, the estimate stands as it is.
 */
export function calibratedTokensBefore(estimatedBefore: number, estimatedSent: number, realSent: number): number {
  if (!(estimatedBefore > 0)) return 0;
  if (!(estimatedSent > 0) || !(realSent > 0)) return estimatedBefore;
  return Math.round((estimatedBefore * realSent) / estimatedSent);
}

/**
 * Without the gateway the client would have sent its prompt as it was (`tokensBefore`, calibrated), uncached,
 * to the same model, and received the same output.
 */
export function baselineCostUsd(tokensBefore: number, outputTokens: number, price: Price | undefined, options: CostOptions = {}): number {
  return costUsd({ inputTokens: tokensBefore, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, outputTokens }, price, options);
}
