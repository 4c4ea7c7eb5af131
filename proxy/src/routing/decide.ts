// The routing decision: the score against the threshold, and a conversation's current model against the cost
// of switching. Switching models throws away the conversation's prompt cache (the next turn pays a full cache
// write instead of 0.1x reads), so a conversation keeps its model unless the score moves decisively, and never
// switches in the middle of a tool loop. Pure.
import type { ConversationState } from './conversation.ts';
import { round2 } from './history.ts';
import type { ScoreResult } from './scorer.ts';

export interface DecideInput {
  scored: ScoreResult;
  threshold: number;
  baseModel: string;
  strongModel: string;
  /** Short names for the reason text, e.g. sonnet / opus. */
  labels: { base: string; strong: string };
  previous?: ConversationState;
  midToolLoop: boolean;
  /** Size of the conversation, which is what a switch would have to write to the cache again. */
  estimatedTokens: number;
}

export interface RouteDecision {
  model: string;
  reason: string;
  score: number;
  /** The conversation kept its model although the score alone pointed elsewhere. */
  kept: boolean;
}

/** How far past the threshold the score must move before a conversation changes model. */
export function switchMargin(estimatedTokens: number): number {
  return round2(0.1 + Math.min(0.2, estimatedTokens / 500_000));
}

export function decideRoute(input: DecideInput): RouteDecision {
  const { scored, threshold, baseModel, strongModel, labels, previous } = input;
  const fresh = scored.score >= threshold ? strongModel : baseModel;
  const label = (model: string) => (model === strongModel ? labels.strong : labels.base);
  const details = scored.signals.join(', ');
  const score = scored.score.toFixed(2);

  const known = previous && (previous.model === baseModel || previous.model === strongModel);
  if (!known || previous.model === fresh) {
    return { model: fresh, reason: `smart:${label(fresh)} score ${score} (${details})`, score: scored.score, kept: false };
  }

  const kept = previous.model;
  if (input.midToolLoop) {
    return { model: kept, reason: `sticky:${label(kept)} score ${score} (tool loop in progress; ${details})`, score: scored.score, kept: true };
  }
  const margin = switchMargin(input.estimatedTokens);
  const upgrading = fresh === strongModel;
  const decisive = upgrading ? scored.score >= round2(threshold + margin) : scored.score < round2(threshold - margin);
  if (decisive) {
    return {
      model: fresh,
      reason: `smart:${label(fresh)} score ${score} (${details}; switched from ${label(kept)})`,
      score: scored.score,
      kept: false,
    };
  }
  const needs = upgrading ? `>= ${round2(threshold + margin).toFixed(2)}` : `< ${round2(threshold - margin).toFixed(2)}`;
  return {
    model: kept,
    reason: `sticky:${label(kept)} score ${score} (conversation stays; a switch needs ${needs}; ${details})`,
    score: scored.score,
    kept: true,
  };
}
