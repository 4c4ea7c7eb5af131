// The price table: USD per million tokens for each model, as Anthropic lists them (platform.claude.com pricing
// and model pages, state of 2026-11). Shipped rows seed the store; an operator edits them through
// PUT /admin/prices. Cache prices are the table's own numbers, not multipliers: several current models read
// the cache at 0.05x or 0.025x of input instead of the usual 0.1x.
import { parseModelId } from '../models/model-id.ts';
import { MODEL_CATALOG } from '../models/catalog.ts';

export interface Rates {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheWrite5mPerMTok: number;
  cacheWrite1hPerMTok: number;
  cacheReadPerMTok: number;
}

/** Rates that replace the base ones, for every token of a request whose prompt is above a size. */
export interface LongPromptRates extends Rates {
  /** Prompt tokens (input + cache writes + cache reads) above which these rates apply. */
  aboveTokens: number;
}

export interface Price extends Rates {
  model: string;
  /** Fraction taken off a Message Batches request (0.5 = half price). */
  batchDiscount: number;
  longPrompt?: LongPromptRates | null;
}

const BATCH_DISCOUNT = 0.5;

function row(model: string, input: number, output: number, write5m: number, write1h: number, read: number, longPrompt?: LongPromptRates): Price {
  return {
    model,
    inputPerMTok: input,
    outputPerMTok: output,
    cacheWrite5mPerMTok: write5m,
    cacheWrite1hPerMTok: write1h,
    cacheReadPerMTok: read,
    batchDiscount: BATCH_DISCOUNT,
    ...(longPrompt ? { longPrompt } : {}),
  };
}

export const SHIPPED_PRICES: readonly Price[] = [
  row('claude-fable-5-2', 8, 40, 10, 16, 0.2),
  row('claude-mythos-5-2', 8, 40, 10, 16, 0.2),
  row('claude-fable-5-1', 10, 50, 12.5, 20, 0.25),
  row('claude-mythos-5-1', 10, 50, 12.5, 20, 0.25),
  row('claude-fable-5', 10, 50, 12.5, 20, 1),
  row('claude-mythos-5', 10, 50, 12.5, 20, 1),
  row('claude-opus-5-5', 4, 20, 5, 8, 0.2),
  row('claude-sonnet-5-5', 2, 10, 2.5, 4, 0.1), // cache reads cut from 0.20 on 2026-10-07
  // Haiku 5.5 is billed by prompt length: above 100K prompt tokens every token of the request costs 5x.
  row('claude-haiku-5-5', 0.1, 0.5, 0.125, 0.2, 0.01, {
    aboveTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5, cacheWrite5mPerMTok: 0.625, cacheWrite1hPerMTok: 1, cacheReadPerMTok: 0.05,
  }),
  row('claude-opus-5', 5, 25, 6.25, 10, 0.5),
  row('claude-sonnet-5', 2, 10, 2.5, 4, 0.2),
  row('claude-opus-4-8', 5, 25, 6.25, 10, 0.5),
  row('claude-opus-4-7', 5, 25, 6.25, 10, 0.5),
  row('claude-opus-4-6', 5, 25, 6.25, 10, 0.5),
  row('claude-sonnet-4-6', 3, 15, 3.75, 6, 0.3),
  row('claude-opus-4-5', 5, 25, 6.25, 10, 0.5),
  row('claude-sonnet-4-5', 3, 15, 3.75, 6, 0.3),
  row('claude-haiku-4-5', 1, 5, 1.25, 2, 0.1),
  row('claude-opus-4-1', 15, 75, 18.75, 30, 1.5),
  // Invitation-only preview, not on the public price list: priced as announced (unverified).
  row('claude-mythos-preview', 25, 125, 31.25, 50, 2.5),
];

const RELEASE_ORDER = new Map(MODEL_CATALOG.map((m) => [m.id, m.createdAt]));

function version(id: string): number {
  const parsed = parseModelId(id);
  return parsed.major === undefined ? -1 : parsed.major * 100 + parsed.minor;
}

/**
 * The price that applies to a model: its own row (dated snapshots and platform spellings included), else for
 * a model newer or older than the table the closest version of its family at or below it, else the newest of
 * its family. Undefined when nothing fits (not a Claude model): its cost is then 0 and says so.
 */
export function priceFor(model: string, table: ReadonlyMap<string, Price>): Price | undefined {
  const exact = table.get(model);
  if (exact) return exact;
  const parsed = parseModelId(model);
  const base = table.get(parsed.base);
  if (base) return base;
  if (!parsed.family) return undefined;

  const wanted = version(model);
  const family = [...table.values()]
    .filter((p) => parseModelId(p.model).family === parsed.family)
    .sort((a, b) => version(b.model) - version(a.model) || (RELEASE_ORDER.get(b.model) ?? '').localeCompare(RELEASE_ORDER.get(a.model) ?? ''));
  if (family.length === 0) return undefined;
  return (wanted >= 0 ? family.find((p) => version(p.model) <= wanted) : undefined) ?? family[0];
}
