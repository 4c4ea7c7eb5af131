// The price table in SQLite, with an in-memory copy the request path reads. At each start the shipped prices
// refresh the rows nobody edited and add new models; rows an operator edited keep the operator's numbers.
import { SHIPPED_PRICES, type LongPromptRates, type Price } from '../usage/prices.ts';
import type { Db } from './sqlite.ts';

interface PriceRow {
  model: string;
  input_per_mtok: number;
  output_per_mtok: number;
  cache_write_5m_per_mtok: number;
  cache_write_1h_per_mtok: number;
  cache_read_per_mtok: number;
  batch_discount: number;
  long_prompt_json: string | null;
}

export interface PriceStore {
  list(): Price[];
  /** Model id → price, for cost computation (kept in memory). */
  table(): ReadonlyMap<string, Price>;
  /** Inserts or replaces the given rows (marked as edited) and returns the whole table. */
  upsert(prices: readonly Price[]): Price[];
}

function toPrice(row: PriceRow): Price {
  return {
    model: row.model,
    inputPerMTok: row.input_per_mtok,
    outputPerMTok: row.output_per_mtok,
    cacheWrite5mPerMTok: row.cache_write_5m_per_mtok,
    cacheWrite1hPerMTok: row.cache_write_1h_per_mtok,
    cacheReadPerMTok: row.cache_read_per_mtok,
    batchDiscount: row.batch_discount,
    longPrompt: row.long_prompt_json ? (JSON.parse(row.long_prompt_json) as LongPromptRates) : null,
  };
}

export function createPriceStore(db: Db, now: () => number): PriceStore {
  const write = (source: 'shipped' | 'admin', onlyIfShipped: boolean) =>
    db.prepare(`
      INSERT INTO prices (model, input_per_mtok, output_per_mtok, cache_write_5m_per_mtok, cache_write_1h_per_mtok,
                          cache_read_per_mtok, batch_discount, long_prompt_json, source, updated_ms)
      VALUES (@model, @inputPerMTok, @outputPerMTok, @cacheWrite5mPerMTok, @cacheWrite1hPerMTok, @cacheReadPerMTok,
              @batchDiscount, @longPrompt, '${source}', @now)
      ON CONFLICT (model) DO UPDATE SET
        input_per_mtok = excluded.input_per_mtok, output_per_mtok = excluded.output_per_mtok,
        cache_write_5m_per_mtok = excluded.cache_write_5m_per_mtok, cache_write_1h_per_mtok = excluded.cache_write_1h_per_mtok,
        cache_read_per_mtok = excluded.cache_read_per_mtok, batch_discount = excluded.batch_discount,
        long_prompt_json = excluded.long_prompt_json, source = excluded.source, updated_ms = excluded.updated_ms
      ${onlyIfShipped ? `WHERE prices.source = 'shipped'` : ''}`);
  const seed = write('shipped', true);
  const edit = write('admin', false);
  const params = (p: Price) => ({
    model: p.model,
    inputPerMTok: p.inputPerMTok,
    outputPerMTok: p.outputPerMTok,
    cacheWrite5mPerMTok: p.cacheWrite5mPerMTok,
    cacheWrite1hPerMTok: p.cacheWrite1hPerMTok,
    cacheReadPerMTok: p.cacheReadPerMTok,
    batchDiscount: p.batchDiscount,
    longPrompt: p.longPrompt ? JSON.stringify(p.longPrompt) : null,
    now: now(),
  });
  const all = db.prepare('SELECT * FROM prices ORDER BY model');

  db.transaction(() => {
    for (const p of SHIPPED_PRICES) seed.run(params(p));
  })();

  let cache: Map<string, Price> | undefined;
  const load = () => {
    cache = new Map((all.all() as PriceRow[]).map((row) => [row.model, toPrice(row)]));
    return cache;
  };

  return {
    list: () => [...load().values()],
    table: () => cache ?? load(),
    upsert(prices) {
      db.transaction(() => {
        for (const p of prices) edit.run(params(p));
      })();
      return [...load().values()];
    },
  };
}
