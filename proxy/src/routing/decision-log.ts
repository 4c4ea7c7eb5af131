// Recent routing decisions, summarised for GET /admin/routing: how often each kind of reason and each model
// came up. Kept in memory (a bounded ring); the full per-request reasons live in the usage records.

export interface LoggedDecision {
  ts: number;
  projectId: string;
  model: string;
  /** The request's full route reason, e.g. "smart:opus score 0.72 (architecture, 14 files); fallback:claude-opus-5-5 overloaded". */
  reason: string;
}

export interface RoutingSummary {
  byReason: Array<{ reason: string; count: number }>;
  byModel: Array<{ model: string; count: number }>;
}

export interface DecisionFilter {
  from?: number;
  to?: number;
  projectId?: string;
  model?: string;
}

/** The kind of each part of a reason: "smart:opus score 0.72 (…)" → "smart:opus"; "alias" → "alias". */
export function reasonKinds(reason: string): string[] {
  return reason
    .split('; ')
    .map((part) => part.trim().split(' ')[0]!)
    .filter((kind) => kind !== '' && /^[a-z]/.test(kind));
}

function sortedCounts<K extends string>(counts: Map<string, number>, key: K): Array<Record<K, string> & { count: number }> {
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]) => ({ [key]: name, count }) as Record<K, string> & { count: number });
}

export function summarizeDecisions(decisions: readonly LoggedDecision[], filter: DecisionFilter = {}): RoutingSummary {
  const reasons = new Map<string, number>();
  const models = new Map<string, number>();
  for (const d of decisions) {
    if (filter.from !== undefined && d.ts < filter.from) continue;
    if (filter.to !== undefined && d.ts >= filter.to) continue;
    if (filter.projectId !== undefined && d.projectId !== filter.projectId) continue;
    if (filter.model !== undefined && d.model !== filter.model) continue;
    for (const kind of new Set(reasonKinds(d.reason))) reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    models.set(d.model, (models.get(d.model) ?? 0) + 1);
  }
  return { byReason: sortedCounts(reasons, 'reason'), byModel: sortedCounts(models, 'model') };
}

export interface DecisionLog {
  add(decision: LoggedDecision): void;
  summary(filter?: DecisionFilter): RoutingSummary;
}

export function createDecisionLog(capacity = 5_000): DecisionLog {
  // A fixed-size circular buffer: adding never moves the other entries.
  const ring: LoggedDecision[] = [];
  let next = 0;
  return {
    add(decision) {
      if (ring.length < capacity) ring.push(decision);
      else ring[next] = decision;
      next = (next + 1) % capacity;
    },
    summary: (filter) => summarizeDecisions(ring, filter),
  };
}
