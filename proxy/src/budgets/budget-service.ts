// Budgets on the request path: before a request runs, the caller's project and key budgets are checked (a
// spent one refuses it with 429 budget_exceeded until its period resets); after it ends, its cost is added to
// both. Definitions are cached for a moment so a request costs at most one spend read per budget.
import { GatewayError } from '../errors.ts';
import { budgetStatus, exceededMessage, type Budget, type BudgetScope, type BudgetStatus } from './budget.ts';
import type { BudgetStorage } from './budget-storage.ts';

export interface BudgetView extends Budget {
  status: BudgetStatus;
}

export interface BudgetVerdict {
  /** Set when a budget is spent: the error the client gets. */
  refusal?: GatewayError;
  /** Budgets past their soft threshold, for the X-Budget-Warning header. */
  warnings: string[];
}

export interface BudgetService {
  check(projectId: string, keyId: string | null): Promise<BudgetVerdict>;
  /** True when no budget exists, as last read (within the definitions' lifetime): a check would pass. */
  noneDefined(): boolean;
  /** Adds a finished request's cost to its project's and key's spend. */
  spend(projectId: string, keyId: string | null, costUsd: number): Promise<void>;
  list(): Promise<BudgetView[]>;
  get(scope: BudgetScope, subject: string): Promise<BudgetView | undefined>;
  put(budget: Budget): Promise<BudgetView>;
  remove(scope: BudgetScope, subject: string): Promise<boolean>;
  /** Writes spend the storage still holds in memory. */
  flush(): void;
}

/** Another replica's edit is seen within this long. */
const DEFINITIONS_TTL_MS = 2000;

const subjectOf = (scope: BudgetScope, subject: string) => `${scope}:${subject}`;

export function createBudgetService(storage: BudgetStorage, now: () => number): BudgetService {
  let cached: { at: number; byKey: Map<string, Budget> } | undefined;
  const definitions = async () => {
    if (cached && now() - cached.at < DEFINITIONS_TTL_MS) return cached.byKey;
    const byKey = new Map((await storage.list()).map((b) => [subjectOf(b.scope, b.subject), b]));
    cached = { at: now(), byKey };
    return byKey;
  };
  const view = async (budget: Budget): Promise<BudgetView> => {
    const spend = await storage.spend(subjectOf(budget.scope, budget.subject), budget.period, now());
    return { ...budget, status: budgetStatus(budget, spend, now()) };
  };

  return {
    noneDefined: () => cached !== undefined && now() - cached.at < DEFINITIONS_TTL_MS && cached.byKey.size === 0,
    async check(projectId, keyId) {
      const byKey = await definitions();
      if (byKey.size === 0) return { warnings: [] };
      const mine = [byKey.get(subjectOf('project', projectId)), keyId ? byKey.get(subjectOf('key', keyId)) : undefined].filter((b): b is Budget => b !== undefined);
      const verdict: BudgetVerdict = { warnings: [] };
      for (const budget of mine) {
        const { status } = await view(budget);
        if (status.state === 'exceeded' && !verdict.refusal) verdict.refusal = refusal(budget, status, now());
        if (status.state === 'soft') verdict.warnings.push(`${budget.scope} ${budget.subject} has used ${Math.floor((status.spend.period / budget.limitUsd) * 100)}% of its ${budget.period} budget`);
      }
      return verdict;
    },
    async spend(projectId, keyId, costUsd) {
      const micro = Math.round(costUsd * 1e6);
      if (!(micro > 0)) return;
      await storage.addSpend([subjectOf('project', projectId), ...(keyId ? [subjectOf('key', keyId)] : [])], micro, now());
    },
    list: async () => Promise.all([...(await definitions()).values()].map(view)),
    async get(scope, subject) {
      const budget = await storage.get(scope, subject);
      return budget && view(budget);
    },
    async put(budget) {
      await storage.put(budget);
      cached = undefined;
      return view(budget);
    },
    async remove(scope, subject) {
      cached = undefined;
      return storage.remove(scope, subject);
    },
    flush: () => storage.flush(),
  };
}

function refusal(budget: Budget, status: BudgetStatus, now: number): GatewayError {
  const seconds = status.exceeded === 'period' ? Math.max(1, Math.ceil((Date.parse(status.resetsAt) - now) / 1000)) : undefined;
  return new GatewayError({
    status: 429,
    type: 'insufficient_quota',
    code: 'budget_exceeded',
    message: exceededMessage(budget, status),
    ...(seconds !== undefined && { headers: { 'retry-after': String(seconds) } }),
  });
}
