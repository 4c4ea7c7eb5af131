// What the project's past says about similar requests: how often each model's answers were followed by a retry,
// an error or the person asking again. Pure: the adjustment depends only on the counts it is given.
import { KEYWORD_GROUPS } from './keywords.ts';
import type { RequestFeatures } from './features.ts';

export interface OutcomeStats {
  /** Answers given. */
  served: number;
  /** Answers followed by a retry, an error or a repeated request. */
  bad: number;
}

/** Outcome counts per model for one bucket of similar requests. */
export type BucketStats = Record<string, OutcomeStats>;

export interface HistoryAdjustment {
  delta: number;
  /** Why, for the route reason; absent when history changed nothing. */
  signal?: string;
}

/** Fewer answers than this in a bucket say nothing yet. */
export const MIN_SAMPLES = 5;

/**
 * Requests are "similar" when they share their strongest keyword group, their size class and whether they carry
 * an error trace: coarse on purpose, so buckets fill up quickly enough to learn from.
 */
export function similarityBucket(features: RequestFeatures): string {
  const strongest = KEYWORD_GROUPS.filter((g) => g.weight > 0 && features.keywordGroups.includes(g.name)).sort((a, b) => b.weight - a.weight)[0];
  const size = features.estimatedTokens < 8_000 ? 's' : features.estimatedTokens < 50_000 ? 'm' : 'l';
  return `${strongest?.name ?? 'general'}:${size}:${features.errorTraces > 0 ? 'trace' : 'plain'}`;
}

function rate(stats: OutcomeStats | undefined): number | undefined {
  if (!stats || stats.served < MIN_SAMPLES) return undefined;
  return Math.min(1, stats.bad / stats.served);
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * Raises the score when the default model's answers in this bucket often needed another go (unless the strong
 * model did no better), lowers it when the default model has been reliable or the strong one did worse.
 */
export function historyAdjustment(stats: BucketStats, baseModel: string, strongModel: string, labels: { base: string; strong: string }): HistoryAdjustment {
  const baseRate = rate(stats[baseModel]);
  const strongRate = rate(stats[strongModel]);
  if (baseRate === undefined) return { delta: 0 };
  if (baseRate >= 0.25) {
    if (strongRate !== undefined && strongRate >= baseRate) {
      return { delta: 0, signal: `history: ${labels.strong} no better than ${labels.base} here` };
    }
    return { delta: round2(Math.min(0.25, baseRate - 0.1)), signal: `history: ${labels.base} ${percent(baseRate)} redone` };
  }
  if (strongRate !== undefined && strongRate > baseRate + 0.15) {
    return { delta: -0.1, signal: `history: ${labels.strong} ${percent(strongRate)} redone` };
  }
  if (baseRate <= 0.05 && stats[baseModel]!.served >= 2 * MIN_SAMPLES) {
    return { delta: -0.1, signal: `history: ${labels.base} reliable here` };
  }
  return { delta: 0 };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
