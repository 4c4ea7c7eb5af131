// Real agent traffic for the benchmark and the byte-identity test: every turn of the public sessions in
// ../shared/traces (format in its SOURCES.md), in order, as the OpenAI body the agent sent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchPlan } from './options.ts';

export interface TraceTurn {
  session: string;
  /** Index of the turn inside its session. */
  turn: number;
  /** The parsed OpenAI body. */
  body: Record<string, unknown>;
}

interface SessionFile {
  id?: string;
  tools?: unknown[];
  messages: unknown[];
  requests: Array<{ end: number } | { messages: unknown[] }>;
}

function isSession(value: unknown): value is SessionFile {
  const v = value as SessionFile;
  return typeof v === 'object' && v !== null && Array.isArray(v.messages) && Array.isArray(v.requests);
}

/** Every session file in `dir`, in name order; none when the folder is absent. */
export function loadTraceTurns(dir: string, model: string, extra: Record<string, unknown> = {}): TraceTurn[] {
  if (!existsSync(dir)) return [];
  const turns: TraceTurn[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const session = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
    if (!isSession(session)) continue;
    const id = session.id ?? name.replace(/\.json$/, '');
    session.requests.forEach((request, turn) => {
      const messages = 'end' in request ? session.messages.slice(0, request.end) : request.messages;
      const body = { model, max_tokens: 1024, ...(session.tools ? { tools: session.tools } : {}), ...extra, messages };
      turns.push({ session: id, turn, body });
    });
  }
  return turns;
}

/** Scaled runs send an evenly spread share of the turns (quick runs send them all: they are the main case). */
export function pickTurns(turns: TraceTurn[], plan: Pick<BenchPlan, 'scale'>): TraceTurn[] {
  const share = Math.min(1, plan.scale);
  const every = Math.max(1, Math.round(1 / share));
  return turns.filter((_, i) => i % every === 0);
}
