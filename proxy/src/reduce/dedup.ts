// Layer 4, file-hash deduplication: a run of lines the request already carries verbatim earlier (a file read
// twice, a tool echoing what the model wrote, a log printed again) becomes a one-line reference to that
// earlier copy, which stays intact. Prefix-stable by construction: message i is rewritten only from what
// comes before it in the same request, so its bytes never change as the conversation grows.
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { mapUserTexts, messageTexts, systemBlocks } from './content.ts';
import { envLineRanges } from './env-details.ts';
import { isReferenceLine, lineRunReference } from './references.ts';

export interface DedupOptions {
  /** A run shorter than this many characters is left alone (a reference costs about 120). */
  minChars: number;
  /** Earlier copies considered per line: the most recent ones. */
  maxCandidates: number;
}

export const DEFAULT_DEDUP_OPTIONS: DedupOptions = { minChars: 240, maxCandidates: 8 };

/** A line that may start a run: short or blank lines occur everywhere and would only add noise. */
function isAnchor(line: string): boolean {
  return line.trim().length >= 4;
}

export class LineIndex {
  readonly lines: string[] = [];
  private readonly textIds: number[] = [];
  /** A reference or environment line never belongs to a run. */
  private readonly barriers: boolean[] = [];
  private readonly byLine = new Map<string, number[]>();
  private textId = 0;

  beginText(): void {
    this.textId++;
  }

  add(line: string, barrier: boolean): void {
    const at = this.lines.length;
    this.lines.push(line);
    this.textIds.push(this.textId);
    this.barriers.push(barrier);
    if (barrier || !isAnchor(line)) return;
    const list = this.byLine.get(line);
    if (list) list.push(at);
    else this.byLine.set(line, [at]);
  }

  addText(text: string): void {
    this.beginText();
    for (const line of text.split('\n')) this.add(line, isReferenceLine(line));
  }

  /** Longest earlier run matching source[from..], ties going to the most recent copy. */
  longestRun(source: readonly string[], blocked: readonly boolean[], from: number, maxCandidates: number): number {
    const candidates = this.byLine.get(source[from]!);
    if (!candidates) return 0;
    let best = 0;
    for (let c = candidates.length - 1; c >= 0 && c >= candidates.length - maxCandidates; c--) {
      const at = candidates[c]!;
      const text = this.textIds[at];
      let k = 0;
      while (
        from + k < source.length &&
        at + k < this.lines.length &&
        !blocked[from + k] &&
        !this.barriers[at + k] &&
        this.textIds[at + k] === text &&
        this.lines[at + k] === source[from + k]
      ) {
        k++;
      }
      if (k > best) best = k;
    }
    return best;
  }
}

function runChars(lines: readonly string[], from: number, count: number): number {
  let chars = 0;
  for (let k = from; k < from + count; k++) chars += lines[k]!.length + 1;
  return chars;
}

function dedupText(text: string, index: LineIndex, options: DedupOptions, originals: Map<string, string>): string {
  const lines = text.split('\n');
  const env = envLineRanges(lines);
  const blocked = lines.map((line, i) => env[i]! || isReferenceLine(line));
  const out: string[] = [];
  index.beginText();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!blocked[i] && isAnchor(line)) {
      const run = index.longestRun(lines, blocked, i, options.maxCandidates);
      if (run > 0 && runChars(lines, i, run) >= options.minChars) {
        const reference = lineRunReference(lines.slice(i, i + run));
        originals.set(reference.ref, reference.text);
        out.push(reference.marker);
        index.add(reference.marker, true);
        i += run;
        continue;
      }
    }
    out.push(line);
    index.add(line, blocked[i]!);
    i++;
  }
  return out.join('\n');
}

/** The line index of a request's system prompt: where every dedup run starts. */
export function dedupIndexFor(params: MessageCreateParams): LineIndex {
  const index = new LineIndex();
  for (const block of systemBlocks(params)) index.addText(block.text);
  return index;
}

/** Dedups one message against the index of everything before it, then adds it to the index. */
export function dedupMessage(message: MessageParam, index: LineIndex, originals: Map<string, string>, options: DedupOptions = DEFAULT_DEDUP_OPTIONS): MessageParam {
  if (message.role === 'assistant') {
    for (const text of messageTexts(message)) index.addText(text);
    return message;
  }
  return mapUserTexts(message, (text) => dedupText(text, index, options, originals));
}

/** Replaces later copies by references; `originals` receives each reference's text for repairs. */
export function dedupRequest(
  params: MessageCreateParams,
  originals: Map<string, string>,
  options: DedupOptions = DEFAULT_DEDUP_OPTIONS,
): MessageCreateParams {
  const index = dedupIndexFor(params);
  let changed = false;
  const messages = params.messages.map((message): MessageParam => {
    const next = dedupMessage(message, index, originals, options);
    if (next !== message) changed = true;
    return next;
  });
  return changed ? { ...params, messages } : params;
}
