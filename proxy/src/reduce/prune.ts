// Layer 5, context pruning: once the estimated context passes CONTEXT_MAX_TOKENS, the oldest whole chunks of
// turns give way to a compact summary appended to the first message, while the system prompt, the task,
// the recent turns and the user's own words stay. Chunks end after a user turn, so a tool call and its
// result are never separated. Chunk boundaries depend only on the messages before them, and the amount to
// drop moves in steps of half the limit, so the rewritten prefix stays the same for many turns and the
// prompt cache keeps hitting between steps.
import type { MessageCreateParams, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { blocksOf } from './content.ts';
import { shortHash } from './hash.ts';
import { filesIn } from './repo-map/files.ts';
import type { RepoMapStore } from './repo-map/store.ts';
import { chunkText, extractiveSummary, type SummaryCache } from './summary.ts';
import { messageTokens, requestTokens, textTokens } from './tokens.ts';

export interface PruneOptions {
  maxTokens: number;
  /** Messages at the end that are never condensed. */
  keepRecentMessages: number;
}

export interface PruneDeps {
  /**
   * The same messages before strip and dedup rewrote them (same count and order): summaries and the repo map
   * read file bodies from these rather than from references.
   */
  sourceMessages?: readonly MessageParam[];
  repoMap?: RepoMapStore;
  summaries?: SummaryCache;
  projectId?: string;
}

export interface PruneResult {
  params: MessageCreateParams;
  droppedMessages: number;
  /** Tokens of the repo-map part of the summary. */
  repoMapTokens: number;
}

interface Chunk {
  start: number;
  end: number;
  tokens: number;
}

export const DEFAULT_KEEP_RECENT_MESSAGES = 8;

/** Chunks of about `size` tokens over messages[1..limit), each starting at an assistant turn. */
export function stableChunks(messages: readonly MessageParam[], tokens: readonly number[], limit: number, size: number): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 1;
  let acc = 0;
  for (let i = 1; i < limit; i++) {
    if (i > start && messages[i]!.role === 'assistant' && acc >= size) {
      chunks.push({ start, end: i, tokens: acc });
      start = i;
      acc = 0;
    }
    acc += tokens[i]!;
  }
  // The open chunk is complete only if the next message starts a new one.
  if (limit > start && limit < messages.length && messages[limit]!.role === 'assistant' && acc >= size) {
    chunks.push({ start, end: limit, tokens: acc });
  }
  return chunks;
}

/** How much to drop: zero under the limit, then in steps of half the limit. */
export function dropTarget(total: number, max: number): number {
  if (total <= max) return 0;
  const step = Math.max(1, Math.floor(max / 2));
  return (Math.floor((total - max) / step) + 1) * step;
}

function repoMapSection(messages: readonly MessageParam[], deps: PruneDeps): string {
  if (!deps.repoMap) return '';
  const latest = new Map<string, string>();
  for (const file of filesIn(messages)) latest.set(file.path, file.content);
  const lines: string[] = [];
  for (const [path, content] of [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const symbols = deps.repoMap.describe(path, content, deps.projectId);
    if (symbols !== undefined) lines.push(`- ${path}: ${symbols || '(no top-level definitions)'}`);
  }
  return lines.length === 0 ? '' : `Files read or written in those turns, with their top-level symbols (repo map):\n${lines.join('\n')}`;
}

export function pruneRequest(params: MessageCreateParams, options: PruneOptions, deps: PruneDeps = {}): PruneResult {
  const unchanged = { params, droppedMessages: 0, repoMapTokens: 0 };
  const messages = params.messages;
  if (messages.length < 3 || messages[0]!.role !== 'user') return unchanged;
  const total = requestTokens(params);
  const target = dropTarget(total, options.maxTokens);
  if (target === 0) return unchanged;

  const source = deps.sourceMessages && deps.sourceMessages.length === messages.length ? deps.sourceMessages : messages;
  const tokens = messages.map(messageTokens);
  const limit = Math.max(1, messages.length - options.keepRecentMessages);
  const chunks = stableChunks(messages, tokens, limit, Math.max(1000, Math.floor(options.maxTokens / 8)));
  const dropped: Chunk[] = [];
  let droppedTokens = 0;
  for (const chunk of chunks) {
    if (droppedTokens >= target) {
      // The next chunk to go: a cheap-model summary can be prepared before it is needed.
      const slice = source.slice(chunk.start, chunk.end);
      deps.summaries?.prefetch?.(shortHash(JSON.stringify(slice)), chunkText(slice));
      break;
    }
    dropped.push(chunk);
    droppedTokens += chunk.tokens;
  }
  if (dropped.length === 0) return unchanged;

  const summaries = dropped.map((chunk) => {
    const slice = source.slice(chunk.start, chunk.end);
    const key = shortHash(JSON.stringify(slice));
    const summary = deps.summaries?.get(key) ?? extractiveSummary(slice);
    deps.summaries?.pin(key, summary);
    return summary;
  });
  const end = dropped[dropped.length - 1]!.end;
  const map = repoMapSection(source.slice(1, end), deps);
  const header = `[gateway: messages 2 to ${end} of this conversation were condensed to keep the context small; this is what happened in them.]`;
  const text = [header, ...summaries, map].filter((part) => part !== '').join('\n');
  const first = messages[0]!;
  const summaryBlock: TextBlockParam = { type: 'text', text };
  const head: MessageParam = { ...first, content: [...blocksOf(first.content), summaryBlock] };
  return {
    params: { ...params, messages: [head, ...messages.slice(end)] },
    droppedMessages: end - 1,
    repoMapTokens: map === '' ? 0 : textTokens(map),
  };
}
