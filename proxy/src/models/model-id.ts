// Reads Claude model ids in the spellings clients and platforms use, so one table entry serves them all:
// `claude-haiku-4-5-20251001`, `claude-opus-4.6`, `anthropic/claude-sonnet-4-5`, `anthropic.claude-opus-4-1-v1:0`,
// `claude-opus-4-1@20250805`, `claude-3-5-sonnet-20241022`.

export type ParsedFamily = 'opus' | 'sonnet' | 'haiku' | 'fable' | 'mythos';

export interface ParsedModelId {
  /** The id without provider prefix, date or platform version suffix, dots turned into dashes. */
  base: string;
  family: ParsedFamily | undefined;
  major: number | undefined;
  minor: number;
}

const FAMILIES: readonly ParsedFamily[] = ['opus', 'sonnet', 'haiku', 'fable', 'mythos'];

/** Strips what does not change the model: provider prefixes, snapshot dates, `-latest`, platform versions. */
export function baseModelId(id: string): string {
  let s = id.trim().toLowerCase();
  s = s.replace(/\[[a-z0-9]+\]$/, ''); // Claude Code's `[1m]` context tag
  s = s.replace(/^(?:[a-z0-9-]+\.)?anthropic[./]/, ''); // anthropic/…, anthropic.…, us.anthropic.…
  s = s.replace(/-v\d+(?::\d+)?$/, ''); // Bedrock `-v1:0`
  s = s.replace(/@\d{8}$/, ''); // Vertex `@20250805`
  s = s.replace(/-\d{8}$/, ''); // dated snapshot
  s = s.replace(/-latest$/, '');
  s = s.replace(/(\d)\.(\d)/g, '$1-$2'); // claude-opus-4.6 → claude-opus-4-6
  return s;
}

/** Family and version, for ids the table does not know (newer or older than it). */
export function parseModelId(id: string): ParsedModelId {
  const base = baseModelId(id);
  const parts = base.split('-');
  const family = FAMILIES.find((f) => parts.includes(f));
  if (!family) return { base, family: undefined, major: undefined, minor: 0 };

  const numbers: number[] = [];
  const at = parts.indexOf(family);
  // New scheme: version after the family (claude-sonnet-4-5). Old scheme: before it (claude-3-5-sonnet).
  const after = parts.slice(at + 1);
  const before = parts.slice(1, at);
  const source = after.length > 0 && /^\d+$/.test(after[0]!) ? after : before;
  for (const part of source) {
    if (!/^\d{1,2}$/.test(part)) break;
    numbers.push(Number(part));
  }
  return { base, family, major: numbers[0], minor: numbers[1] ?? 0 };
}
