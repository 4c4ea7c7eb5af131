// Reads the session traces (format in shared/traces/SOURCES.md) into the request bodies each turn sent, with
// the time of each turn: the time an agent's own environment block reports (Cline, Roo), otherwise a fixed
// pace, so cache lifetimes behave as they did in the live session.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TraceMessage {
  role: string;
  content: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
  name?: string;
}

export interface Session {
  id: string;
  client: string;
  tools?: unknown[];
  /** One OpenAI message list per model call, in order. */
  requests: TraceMessage[][];
}

export interface TimedRequest {
  messages: TraceMessage[];
  /** Milliseconds since the session started. */
  at: number;
}

interface RawSession {
  id: string;
  client: string;
  tools?: unknown[];
  messages: TraceMessage[];
  requests: Array<{ end: number } | { messages: TraceMessage[] }>;
}

export function loadSessions(dir: string): Session[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawSession;
    return {
      id: raw.id ?? file.replace(/\.json$/, ''),
      client: raw.client,
      ...(raw.tools ? { tools: raw.tools } : {}),
      requests: raw.requests.map((r) => ('end' in r ? raw.messages.slice(0, r.end) : r.messages)),
    };
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String((p as { text: unknown }).text) : '')).join('\n');
  return '';
}

const CLINE_TIME = /# Current Time\n(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)/g;
const ISO_TIME = /# Current Time\n(?:Current time in ISO 8601 UTC format: )?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/g;

/** The last time an environment block in the text reports, in ms (the zone does not matter, only gaps). */
export function reportedTime(text: string): number | undefined {
  let found: number | undefined;
  for (const m of text.matchAll(CLINE_TIME)) {
    let hour = Number(m[4]) % 12;
    if (m[7] === 'PM') hour += 12;
    found = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6]));
  }
  for (const m of text.matchAll(ISO_TIME)) found = Date.parse(m[1]!);
  return found;
}

/**
 * Times of each request: the time the last user turn reports, when the session's turns carry one, else
 * `paceMs` after the previous request. Never earlier than the previous request.
 */
export function timeline(session: Session, paceMs: number, useReportedTimes: boolean): TimedRequest[] {
  let start: number | undefined;
  let previous = 0;
  return session.requests.map((messages, i) => {
    const last = messages[messages.length - 1];
    const reported = useReportedTimes && last ? reportedTime(textOf(last.content)) : undefined;
    let at: number;
    if (reported !== undefined) {
      start ??= reported - (i === 0 ? 0 : previous);
      at = Math.max(reported - start, i === 0 ? 0 : previous + 1000);
    } else {
      at = i === 0 ? 0 : previous + paceMs;
    }
    previous = at;
    return { messages, at };
  });
}
