// Validation of PUT /admin/prices: `{ data: Price[] }`, every number a finite non-negative USD amount per
// million tokens, a 400 naming the first bad field (e.g. `data[2].inputPerMTok`).
import { invalidRequest } from '../errors.ts';
import type { LongPromptRates, Price } from './prices.ts';

const RATES = ['inputPerMTok', 'outputPerMTok', 'cacheWrite5mPerMTok', 'cacheWrite1hPerMTok', 'cacheReadPerMTok'] as const;
const FIELDS = ['model', ...RATES, 'batchDiscount', 'longPrompt'];

function amount(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidRequest(`${at} must be a number >= 0 (USD per million tokens)`, at);
  return value;
}

function longPrompt(value: unknown, at: string): LongPromptRates | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${at} must be an object or null`, at);
  const v = value as Record<string, unknown>;
  const above = v.aboveTokens;
  if (typeof above !== 'number' || !Number.isInteger(above) || above < 1) throw invalidRequest(`${at}.aboveTokens must be a positive integer`, `${at}.aboveTokens`);
  const rates = Object.fromEntries(RATES.map((r) => [r, amount(v[r], `${at}.${r}`)])) as Record<(typeof RATES)[number], number>;
  return { aboveTokens: above, ...rates };
}

export function parsePricesBody(body: unknown): Price[] {
  const data = body && typeof body === 'object' && !Array.isArray(body) ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw invalidRequest('The body must be {"data": [ {model, inputPerMTok, …}, … ]}', 'data');
  const seen = new Set<string>();
  return data.map((item, i) => {
    const at = `data[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw invalidRequest(`${at} must be an object`, at);
    const p = item as Record<string, unknown>;
    for (const key of Object.keys(p)) if (!FIELDS.includes(key)) throw invalidRequest(`${at}.${key} is not a price field (${FIELDS.join(', ')})`, `${at}.${key}`);
    if (typeof p.model !== 'string' || p.model.trim() === '') throw invalidRequest(`${at}.model must be a model id`, `${at}.model`);
    const model = p.model.trim();
    if (seen.has(model)) throw invalidRequest(`${at}.model "${model}" appears twice`, `${at}.model`);
    seen.add(model);
    const discount = amount(p.batchDiscount, `${at}.batchDiscount`);
    if (discount > 1) throw invalidRequest(`${at}.batchDiscount must be between 0 and 1 (0.5 = half price)`, `${at}.batchDiscount`);
    return {
      model,
      inputPerMTok: amount(p.inputPerMTok, `${at}.inputPerMTok`),
      outputPerMTok: amount(p.outputPerMTok, `${at}.outputPerMTok`),
      cacheWrite5mPerMTok: amount(p.cacheWrite5mPerMTok, `${at}.cacheWrite5mPerMTok`),
      cacheWrite1hPerMTok: amount(p.cacheWrite1hPerMTok, `${at}.cacheWrite1hPerMTok`),
      cacheReadPerMTok: amount(p.cacheReadPerMTok, `${at}.cacheReadPerMTok`),
      batchDiscount: discount,
      longPrompt: longPrompt(p.longPrompt, `${at}.longPrompt`),
    };
  });
}
