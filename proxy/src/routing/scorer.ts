// How much a request needs the stronger model, as a score from 0 to 1 with the signals that made it.
// Pure and deterministic: the same features and history adjustment always give the same score and signals.
import type { RequestFeatures } from './features.ts';
import { round2, type HistoryAdjustment } from './history.ts';
import { keywordWeight } from './keywords.ts';

export interface ScoreResult {
  score: number;
  /** Short human-readable reasons, strongest kinds first. */
  signals: string[];
}

/** Keywords alone can reach the default threshold, never much beyond it. */
export const KEYWORD_CAP = 0.55;

export function scoreRequest(features: RequestFeatures, history: HistoryAdjustment = { delta: 0 }): ScoreResult {
  const signals: string[] = [];
  let score = 0;

  let keywords = 0;
  for (const group of features.keywordGroups) {
    const weight = keywordWeight(group);
    keywords += weight;
    signals.push(weight < 0 ? `${group} task` : group);
  }
  score += Math.min(KEYWORD_CAP, keywords);

  if (features.fileRefs > 0) {
    score += Math.min(features.fileRefs, 10) * 0.025;
    signals.push(features.fileRefs === 1 ? '1 file' : `${features.fileRefs} files`);
  }
  if (features.errorTraces > 0) {
    score += features.errorTraces >= 2 ? 0.15 : 0.1;
    signals.push(features.errorTraces === 1 ? 'error trace' : `${features.errorTraces} error traces`);
  }
  if (features.humanChars >= 4_000) {
    score += 0.1;
    signals.push('long request');
  } else if (features.humanChars >= 1_500) {
    score += 0.05;
    signals.push('detailed request');
  }
  if (features.estimatedTokens >= 80_000) {
    score += 0.1;
    signals.push(`${Math.round(features.estimatedTokens / 1000)}k tokens`);
  } else if (features.estimatedTokens >= 20_000) {
    score += 0.05;
    signals.push(`${Math.round(features.estimatedTokens / 1000)}k tokens`);
  }
  if (features.toolCount >= 20) {
    score += 0.05;
    signals.push(`${features.toolCount} tools`);
  }
  if (history.delta !== 0 || history.signal) {
    score += history.delta;
    if (history.signal) signals.push(history.signal);
  }

  if (signals.length === 0) signals.push('no complexity signals');
  return { score: round2(Math.min(1, Math.max(0, score))), signals };
}
