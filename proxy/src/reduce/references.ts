// References the gateway leaves in place of repeated content, and the check that every one of them points
// at a verbatim copy earlier in the same request.
//
// Two forms, each on a line of its own:
// - a run of lines: `[gateway: 42 lines omitted, identical to an earlier copy above starting "import os" (ref 1a2b3c4d)]`
//   The copy is found by its first characters (quoted), its line count and the hash of its text.
// - an environment section: `# Heading` then `[gateway: unchanged since the previous environment_details (ref 1a2b3c4d)]`
//   The copy is an earlier verbatim section with the same heading whose body has that hash.
// References only ever appear in user-side text; the model's own words are never rewritten.
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { mapUserTexts, messageTexts, systemBlocks } from './content.ts';
import { mapEnvSections } from './env-details.ts';
import { shortHash } from './hash.ts';

/** How many leading characters of the first line a line-run reference quotes. */
export const QUOTE_CHARS = 40;

const LINE_RUN = /^\[gateway: (\d+) lines? omitted, identical to an earlier copy above starting ("(?:[^"\\]|\\.)*") \(ref ([0-9a-f]{8})\)\]$/;
const SECTION = /^\[gateway: unchanged since the previous environment_details \(ref ([0-9a-f]{8})\)\]$/;

export function lineRunReference(lines: readonly string[]): { marker: string; ref: string; text: string } {
  const text = lines.join('\n');
  const ref = shortHash(text);
  const count = lines.length;
  const quote = JSON.stringify(lines[0]!.slice(0, QUOTE_CHARS));
  return { marker: `[gateway: ${count} ${count === 1 ? 'line' : 'lines'} omitted, identical to an earlier copy above starting ${quote} (ref ${ref})]`, ref, text };
}

export function sectionReference(body: string): { marker: string; ref: string } {
  const ref = shortHash(body);
  return { marker: `[gateway: unchanged since the previous environment_details (ref ${ref})]`, ref };
}

export function isReferenceLine(line: string): boolean {
  return line.startsWith('[gateway: ') && (LINE_RUN.test(line) || SECTION.test(line));
}

export interface DanglingReference {
  message: number;
  ref: string;
  kind: 'lines' | 'section';
}

export interface ReferenceCheck {
  references: number;
  dangling: DanglingReference[];
}

/** Everything seen so far in prompt order, to resolve references against. */
class SeenText {
  private readonly lines: string[] = [];
  /** Which text each line belongs to: a copy never spans two texts. */
  private readonly textIds: number[] = [];
  private readonly byPrefix = new Map<string, number[]>();
  private readonly sections = new Map<string, Set<string>>();
  private textId = 0;

  beginText(): void {
    this.textId++;
  }

  addLine(line: string): void {
    const at = this.lines.length;
    this.lines.push(line);
    this.textIds.push(this.textId);
    const key = line.slice(0, QUOTE_CHARS);
    const list = this.byPrefix.get(key);
    if (list) list.push(at);
    else this.byPrefix.set(key, [at]);
  }

  addText(text: string): void {
    this.beginText();
    for (const line of text.split('\n')) this.addLine(line);
  }

  hasRun(quote: string, count: number, ref: string): boolean {
    for (const at of this.byPrefix.get(quote) ?? []) {
      const last = at + count - 1;
      if (last >= this.lines.length || this.textIds[last] !== this.textIds[at]) continue;
      if (shortHash(this.lines.slice(at, at + count).join('\n')) === ref) return true;
    }
    return false;
  }

  addSection(heading: string, body: string): void {
    let set = this.sections.get(heading);
    if (!set) this.sections.set(heading, (set = new Set()));
    set.add(shortHash(body));
  }

  hasSection(heading: string, ref: string): boolean {
    return this.sections.get(heading)?.has(ref) ?? false;
  }
}

type Resolver = (ref: string, kind: DanglingReference['kind']) => string | undefined;

/**
 * Walks the request in prompt order. Each reference is checked against what came before it; a dangling one
 * is reported and, when `resolve` knows its original text, put back in its place.
 */
function walk(params: MessageCreateParams, resolve?: Resolver): { params: MessageCreateParams; check: ReferenceCheck } {
  const seen = new SeenText();
  const check: ReferenceCheck = { references: 0, dangling: [] };
  for (const block of systemBlocks(params)) seen.addText(block.text);

  const messages = params.messages.map((message, index) => {
    if (message.role === 'assistant') {
      for (const text of messageTexts(message)) seen.addText(text);
      return message;
    }
    return mapUserTexts(message, (input) => {
      const text = mapEnvSections(input, ({ heading, body }) => {
        const m = SECTION.exec(body);
        if (!m) {
          seen.addSection(heading, body);
          return undefined;
        }
        check.references++;
        if (seen.hasSection(heading, m[1]!)) return undefined;
        check.dangling.push({ message: index, ref: m[1]!, kind: 'section' });
        const original = resolve?.(m[1]!, 'section');
        if (original === undefined) return undefined;
        seen.addSection(heading, original);
        return original;
      });
      const out: string[] = [];
      seen.beginText();
      for (const line of text.split('\n')) {
        const m = line.startsWith('[gateway: ') ? LINE_RUN.exec(line) : null;
        if (m) {
          check.references++;
          const quote = JSON.parse(m[2]!) as string;
          if (!seen.hasRun(quote, Number(m[1]), m[3]!)) {
            check.dangling.push({ message: index, ref: m[3]!, kind: 'lines' });
            const original = resolve?.(m[3]!, 'lines');
            if (original !== undefined) {
              out.push(original);
              for (const restored of original.split('\n')) seen.addLine(restored);
              continue;
            }
          }
        }
        out.push(line);
        seen.addLine(line);
      }
      return out.join('\n');
    });
  });
  return { params: resolve ? { ...params, messages } : params, check };
}

export function checkReferences(params: MessageCreateParams): ReferenceCheck {
  return walk(params).check;
}

/** Puts back the original text of every dangling reference (after pruning dropped its copy). */
export function repairReferences(params: MessageCreateParams, originals: ReadonlyMap<string, string>): { params: MessageCreateParams; repaired: number } {
  const { params: out, check } = walk(params, (ref) => originals.get(ref));
  return { params: check.dangling.length > 0 ? out : params, repaired: check.dangling.length };
}
