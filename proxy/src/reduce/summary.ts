// The compact stand-in for condensed turns. Extractive by default: what the assistant set out to do and
// which tools it called, the first line of each result, every error line, and what the user said in their
// own words, verbatim. A cheap-model summary can take its place through SummaryCache; whichever text a chunk
// was first sent with is pinned, so the bytes never change afterwards.
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { blocksOf, blockTexts, looksLikeToolOutput } from './content.ts';
import { isReferenceLine } from './references.ts';

export interface SummaryCache {
  /** The summary this chunk was sent with before, or one produced in the background. */
  get(chunkKey: string): string | undefined;
  /** Called with the summary a chunk is sent with, so later requests send the same bytes. */
  pin(chunkKey: string, summary: string): void;
  /** Chunks likely to be condensed soon; an implementation may summarise them with a cheap model. */
  prefetch?(chunkKey: string, text: string): void;
}

export type Summarizer = (text: string) => Promise<string>;

/** In-memory SummaryCache; with a summarizer, prefetched chunks get a model-written summary. */
export class MemorySummaryCache implements SummaryCache {
  private readonly entries = new Map<string, { text: string; pinned: boolean }>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly summarizer?: Summarizer,
    private readonly maxEntries = 5_000,
  ) {}

  get(chunkKey: string): string | undefined {
    return this.entries.get(chunkKey)?.text;
  }

  pin(chunkKey: string, summary: string): void {
    const entry = this.entries.get(chunkKey);
    if (entry?.pinned) return;
    this.entries.set(chunkKey, { text: entry?.text ?? summary, pinned: true });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  prefetch(chunkKey: string, text: string): void {
    if (!this.summarizer || this.entries.has(chunkKey) || this.pending.has(chunkKey)) return;
    this.pending.add(chunkKey);
    this.summarizer(text)
      .then((summary) => {
        if (!this.entries.has(chunkKey) && summary.trim() !== '') this.entries.set(chunkKey, { text: summary.trim(), pinned: false });
      })
      .catch(() => undefined)
      .finally(() => this.pending.delete(chunkKey));
  }

  /** Resolves once every background summary has finished (for tests and benchmarks). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const LINE_CHARS = 160;
const MAX_ERROR_LINES = 8;
const ERROR_LINE = /\b(error|exception|traceback|failed|failure|fatal|denied|not found|cannot|unable)\b/i;
/** Text the user typed, as opposed to tool output the client wrapped. */
const USER_WORDS = /<(feedback|task|user_message|answer|user_query)>[\s\S]*?<\/\1>/g;
const HAS_USER_WORDS = /<(feedback|task|user_message|answer|user_query)>/;
const ENV_BLOCK = /<environment_details>[\s\S]*?<\/environment_details>/g;

function clip(line: string, max = LINE_CHARS): string {
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function meaningfulLines(text: string): string[] {
  return text
    .replace(ENV_BLOCK, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !isReferenceLine(line));
}

function describeToolUse(block: ContentBlockParam): string | undefined {
  if (block.type !== 'tool_use') return undefined;
  const input = block.input && typeof block.input === 'object' ? (block.input as Record<string, unknown>) : {};
  const args = Object.entries(input)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}=${clip(String(v), 60)}`)
    .join(', ');
  return clip(`${block.name}(${args})`, 200);
}

/** Text-protocol tool calls: Cline's <tool><path>…</path>, a ```bash block. */
function describeTextActions(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<(\w+)>\s*<(path|command|regex|url|question|result)>([\s\S]*?)<\/\2>/g)) {
    if (m[1] === 'task_progress') continue;
    out.push(clip(`${m[1]} ${m[2]}=${m[3]!.split('\n')[0]}`, 200));
  }
  for (const m of text.matchAll(/```(?:bash|sh)\n([\s\S]*?)\n```/g)) out.push(clip(`$ ${m[1]!.split('\n')[0]}`, 200));
  return out;
}

function assistantLine(message: MessageParam): string {
  const blocks = blocksOf(message.content);
  const text = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  const intent = meaningfulLines(text)[0];
  const actions = [...describeTextActions(text), ...blocks.flatMap((b) => describeToolUse(b) ?? [])];
  const parts = [intent ? clip(intent) : undefined, actions.length > 0 ? `→ ${actions.join('; ')}` : undefined].filter(Boolean);
  return `- assistant: ${parts.join(' ') || '(no text)'}`;
}

function userLines(message: MessageParam): string[] {
  const out: string[] = [];
  for (const block of blocksOf(message.content)) {
    const texts = blockTexts(block);
    const isError = block.type === 'tool_result' && block.is_error === true;
    for (const text of texts) {
      if (block.type === 'text' && !looksLikeToolOutput(text) && !HAS_USER_WORDS.test(text)) {
        // A plain user turn is the user's own words.
        const own = meaningfulLines(text);
        if (own.length > 0) out.push(`- user said (verbatim): ${own.join('\n')}`);
        continue;
      }
      const words = [...text.matchAll(USER_WORDS)].map((m) => m[0]);
      // The user's own words are requirements: kept whole.
      for (const w of words) out.push(`- user said (verbatim): ${w}`);
      const rest = meaningfulLines(text.replace(USER_WORDS, ''));
      if (rest.length === 0) continue;
      const label = block.type === 'tool_result' ? (isError ? 'tool error' : 'tool result') : 'result';
      out.push(`- ${label}: ${clip(rest[0]!)} (${rest.length} lines)`);
      const errors = rest.slice(1).filter((line) => ERROR_LINE.test(line)).slice(0, MAX_ERROR_LINES);
      for (const line of errors) out.push(`    ${clip(line, 200)}`);
    }
    if (block.type === 'image') out.push('- (an image)');
  }
  return out;
}

/** One chunk's extractive summary: a line per action, results' first lines and errors, user words verbatim. */
export function extractiveSummary(messages: readonly MessageParam[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') lines.push(assistantLine(message));
    else lines.push(...userLines(message));
  }
  return lines.join('\n');
}

/** The plain text a cheap model would summarise. */
export function chunkText(messages: readonly MessageParam[]): string {
  return messages
    .map((m) => `${m.role}:\n${blocksOf(m.content).flatMap(blockTexts).join('\n')}`)
    .join('\n\n');
}
