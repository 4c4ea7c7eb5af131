// Where budgets and spend live: SQLite for a gateway on its own, the shared state (Redis) when replicas share
// one, so every replica refuses the same request once a budget is spent. Spend is counted in micro-dollars.
import type { SharedState } from '../shared-state/shared-state.ts';
import type { Db } from '../store/sqlite.ts';
import { BUDGET_PERIODS, periodBounds, type Budget, type BudgetScope, type Spend, type BudgetPeriod } from './budget.ts';

export interface BudgetStorage {
  list(): Promise<Budget[]>;
  get(scope: BudgetScope, subject: string): Promise<Budget | undefined>;
  put(budget: Budget): Promise<void>;
  remove(scope: BudgetScope, subject: string): Promise<boolean>;
  /** Adds spend to every period bucket (and the total) of each subject ('project:<id>', 'key:<id>'). */
  addSpend(subjects: readonly string[], microUsd: number, now: number): Promise<void>;
  spend(subject: string, period: BudgetPeriod, now: number): Promise<Spend>;
  /** Writes spend still held in memory (the SQLite storage batches it); called before the store closes. */
  flush(): void;
}

const DAY = 86_400_000;
const FOREVER_MS = 10 * 365 * DAY;
const MICRO = 1e6;

function buckets(now: number): Array<{ key: string; ttlMs: number }> {
  return [...BUDGET_PERIODS.map((p) => { const b = periodBounds(p, now); return { key: b.key, ttlMs: b.end - now + DAY }; }), { key: 'total', ttlMs: FOREVER_MS }];
}

/** The bucket keys for an instant, worked out again only when the earliest period ends. */
function bucketKeys(): (now: number) => string[] {
  let memo: { keys: string[]; from: number; until: number } | undefined;
  return (now) => {
    if (!memo || now < memo.from || now >= memo.until) {
      const bounds = BUDGET_PERIODS.map((p) => periodBounds(p, now));
      memo = { keys: [...bounds.map((b) => b.key), 'total'], from: Math.max(...bounds.map((b) => b.start)), until: Math.min(...bounds.map((b) => b.end)) };
    }
    return memo.keys;
  };
}

export interface SqliteBudgetOptions {
  /** Spend is added up in memory and written in one transaction this often (and when the store closes). */
  flushMs: number;
}

interface BudgetRow { scope: BudgetScope; subject: string; period: BudgetPeriod; limit_usd: number; soft_percent: number; total_usd: number | null }

const fromRow = (r: BudgetRow): Budget => ({ scope: r.scope, subject: r.subject, period: r.period, limitUsd: r.limit_usd, softPercent: r.soft_percent, totalUsd: r.total_usd });

export function createSqliteBudgetStorage(db: Db, options: SqliteBudgetOptions = { flushMs: 250 }): BudgetStorage {
  const all = db.prepare('SELECT * FROM budgets ORDER BY scope, subject');
  const one = db.prepare('SELECT * FROM budgets WHERE scope = ? AND subject = ?');
  const upsert = db.prepare(`INSERT INTO budgets (scope, subject, period, limit_usd, soft_percent, total_usd, updated_ms)
    VALUES (@scope, @subject, @period, @limitUsd, @softPercent, @totalUsd, @now)
    ON CONFLICT (scope, subject) DO UPDATE SET period = excluded.period, limit_usd = excluded.limit_usd,
      soft_percent = excluded.soft_percent, total_usd = excluded.total_usd, updated_ms = excluded.updated_ms`);
  const del = db.prepare('DELETE FROM budgets WHERE scope = ? AND subject = ?');
  const add = db.prepare(`INSERT INTO budget_spend (subject, bucket, micro_usd, updated_ms) VALUES (?, ?, ?, ?)
    ON CONFLICT (subject, bucket) DO UPDATE SET micro_usd = micro_usd + excluded.micro_usd, updated_ms = excluded.updated_ms`);
  const read = db.prepare('SELECT bucket, micro_usd FROM budget_spend WHERE subject = ? AND bucket IN (?, ?)');
  // Every finished request adds to several buckets of two subjects: those additions are summed in memory and
  // written together, so a request costs a map update instead of a transaction. Reads add what is pending.
  const pending = new Map<string, { subject: string; bucket: string; micro: number; at: number }>();
  const keysAt = bucketKeys();
  let timer: NodeJS.Timeout | undefined;
  const writeAll = db.transaction(() => {
    for (const p of pending.values()) add.run(p.subject, p.bucket, p.micro, p.at);
  });
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    writeAll();
    pending.clear();
  };
  const pendingMicro = (subject: string, bucket: string) => pending.get(`${subject}\u0000${bucket}`)?.micro ?? 0;
  return {
    list: async () => (all.all() as BudgetRow[]).map(fromRow),
    async get(scope, subject) {
      const row = one.get(scope, subject) as BudgetRow | undefined;
      return row && fromRow(row);
    },
    async put(budget) {
      upsert.run({ ...budget, now: Date.now() });
    },
    remove: async (scope, subject) => del.run(scope, subject).changes > 0,
    async addSpend(subjects, micro, now) {
      for (const subject of subjects) {
        for (const bucket of keysAt(now)) {
          const key = `${subject}\u0000${bucket}`;
          const entry = pending.get(key);
          if (entry) {
            entry.micro += micro;
            entry.at = now;
          } else pending.set(key, { subject, bucket, micro, at: now });
        }
      }
      timer ??= setTimeout(() => {
        try {
          flush();
        } catch (error) {
          console.error('budget spend not written (will retry):', error);
          timer = undefined;
        }
      }, options.flushMs).unref();
    },
    async spend(subject, period, now) {
      const key = periodBounds(period, now).key;
      const rows = read.all(subject, key, 'total') as Array<{ bucket: string; micro_usd: number }>;
      const of = (bucket: string) => ((rows.find((r) => r.bucket === bucket)?.micro_usd ?? 0) + pendingMicro(subject, bucket)) / MICRO;
      return { period: of(key), total: of('total') };
    },
    flush,
  };
}

export function createSharedBudgetStorage(state: SharedState): BudgetStorage {
  const defKey = (scope: string, subject: string) => `budget:${scope}:${subject}`;
  const get = async (scope: BudgetScope, subject: string) => {
    const text = await state.get(defKey(scope, subject));
    return text ? (JSON.parse(text) as Budget) : undefined;
  };
  return {
    async list() {
      const members = await state.members('budgets');
      const found = await Promise.all(members.map((m) => { const [scope, ...rest] = m.split(':'); return get(scope as BudgetScope, rest.join(':')); }));
      return found.filter((b): b is Budget => b !== undefined).sort((a, b) => `${a.scope}:${a.subject}`.localeCompare(`${b.scope}:${b.subject}`));
    },
    get,
    async put(budget) {
      await state.set(defKey(budget.scope, budget.subject), JSON.stringify(budget), FOREVER_MS);
      await state.addToSet('budgets', `${budget.scope}:${budget.subject}`, FOREVER_MS);
    },
    async remove(scope, subject) {
      const existed = (await get(scope, subject)) !== undefined;
      // The shared state has no delete: an expired value reads as absent.
      if (existed) await state.set(defKey(scope, subject), '', 1);
      return existed;
    },
    async addSpend(subjects, micro, now) {
      await Promise.all(subjects.flatMap((subject) => buckets(now).map((b) => state.increment(`spend:${subject}:${b.key}`, micro, b.ttlMs))));
    },
    flush: () => undefined,
    async spend(subject, period, now) {
      const [periodMicro, totalMicro] = await state.counters([`spend:${subject}:${periodBounds(period, now).key}`, `spend:${subject}:total`]);
      return { period: (periodMicro ?? 0) / MICRO, total: (totalMicro ?? 0) / MICRO };
    },
  };
}
