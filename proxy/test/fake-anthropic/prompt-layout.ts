// Lays a request out as the ordered list of blocks the prompt cache sees, with a cumulative hash and token
// count at every block and the positions of its cache breakpoints.
//
// Facts from "Prompt caching" (platform.claude.com):
// - The cached prefix runs tools, then system, then messages, up to and including a block with
//   cache_control; a hit needs that prefix identical (key order of tool_use inputs included).
// - At most 4 breakpoints; top-level cache_control ("automatic caching") puts one on the last cacheable
//   block and uses one of the 4 slots; it is a no-op when that block already has the same TTL, a 400 when it
//   has a different one, and walks back past blocks that cannot carry a breakpoint.
// - Longer TTLs must come before shorter ones.
// - tool_choice, the presence of images, and the thinking / effort configuration are rendered ahead of the
//   messages, so changing them invalidates the messages cache but not tools or system; the speed setting and
//   the citations toggle invalidate system and messages.
// - A string content is shorthand for one text block, so both spell the same prefix.
// - Thinking blocks cannot carry cache_control themselves (validation refuses the field), and automatic
//   caching skips them.
import { createHash } from 'node:crypto';
import { ApiError, invalid } from './api-error.ts';
import type { EffectiveThinking } from './thinking.ts';
import { blockTokens } from './tokens.ts';

export type CacheTtl = '5m' | '1h';

export interface PromptLayout {
  /** Cumulative hash of the prefix ending at each block. */
  hashes: string[];
  /** Tokens of the prefix ending at each block (inclusive). */
  cumulative: number[];
  /** Block positions carrying a breakpoint, ascending, with their TTL. */
  breakpoints: Array<{ position: number; ttl: CacheTtl }>;
  totalTokens: number;
}

interface Item {
  section: 'tools' | 'system' | 'messages';
  /** What enters the hash: role and block, without cache_control. */
  canonical: string;
  tokens: number;
  marks: CacheTtl[];
  /** Whether automatic caching may place its breakpoint here. */
  cacheable: boolean;
  /** Where an error about this block points, e.g. messages.2.content.0. */
  path: string;
}

const MAX_BREAKPOINTS = 4;
const NOT_CACHEABLE = new Set(['thinking', 'redacted_thinking']);

function ttlOf(cacheControl: any): CacheTtl {
  return cacheControl?.ttl === '1h' ? '1h' : '5m';
}

function without<T extends Record<string, unknown>>(obj: T, key: string): T {
  if (!(key in obj)) return obj;
  const { [key]: _dropped, ...rest } = obj;
  return rest as T;
}

/** A block minus its own cache_control and the ones nested in tool_result / document content. */
function stripMarks(block: any, marks: CacheTtl[]): any {
  if (block.cache_control) marks.push(ttlOf(block.cache_control));
  let out = without(block, 'cache_control');
  const nested = block.type === 'tool_result' ? block.content : block.type === 'document' ? block.source?.content : undefined;
  if (Array.isArray(nested) && nested.some((b: any) => b && typeof b === 'object' && 'cache_control' in b)) {
    const cleaned = nested.map((b: any) => {
      if (b && typeof b === 'object' && b.cache_control) marks.push(ttlOf(b.cache_control));
      return b && typeof b === 'object' ? without(b, 'cache_control') : b;
    });
    out = block.type === 'tool_result' ? { ...out, content: cleaned } : { ...out, source: { ...out.source, content: cleaned } };
  }
  return out;
}

function item(section: Item['section'], rolePrefix: string, block: any, path: string): Item {
  const marks: CacheTtl[] = [];
  const stripped = stripMarks(block, marks);
  const json = JSON.stringify(stripped);
  return {
    section,
    canonical: rolePrefix + json,
    tokens: blockTokens(stripped, json),
    marks,
    cacheable: !NOT_CACHEABLE.has(block.type),
    path,
  };
}

export function contentBlocks(content: unknown): any[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
}

function collectItems(body: any): Item[] {
  const items: Item[] = [];
  (Array.isArray(body.tools) ? body.tools : []).forEach((tool: any, i: number) => items.push(item('tools', '', tool, `tools.${i}`)));
  contentBlocks(body.system).forEach((block, i) => items.push(item('system', 's:', block, `system.${i}`)));
  (body.messages as any[]).forEach((message, m) => {
    const role = message.role === 'assistant' ? 'a:' : message.role === 'system' ? 's:' : 'u:';
    contentBlocks(message.content).forEach((block, b) => items.push(item('messages', role, block, `messages.${m}.content.${b}`)));
  });
  return items;
}

function hasImages(items: Item[]): boolean {
  return items.some((it) => it.section === 'messages' && it.canonical.includes('"type":"image"'));
}

function citationsOn(items: Item[]): boolean {
  return items.some((it) => it.canonical.includes('"citations":{"enabled":true'));
}

/** Places the automatic breakpoint, following the edge cases the docs list. */
function applyAutomatic(items: Item[], automatic: any, explicitCount: number): void {
  if (!automatic) return;
  const ttl = ttlOf(automatic);
  let target = items.length - 1;
  while (target >= 0 && !items[target]!.cacheable) target--;
  if (target < 0) return;
  const last = items[target]!;
  if (last.marks.length > 0) {
    if (last.marks.includes(ttl)) return;
    throw invalid(`cache_control: automatic caching with ttl '${ttl}' conflicts with the ttl set on the last cacheable block (${last.path}).`);
  }
  if (explicitCount >= MAX_BREAKPOINTS) {
    throw invalid(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${explicitCount + 1}.`);
  }
  last.marks.push(ttl);
}

function digest(prev: string, data: string): string {
  return createHash('sha256').update(prev).update('\n').update(data).digest('base64');
}

/**
 * Builds the layout, validating breakpoint count and TTL order.
 * `scope` isolates caches the way the API isolates workspaces: the fake keys them by model and API key.
 */
export function buildPromptLayout(body: any, thinking: EffectiveThinking, scope: string): PromptLayout {
  const items = collectItems(body);
  const explicit = items.reduce((n, it) => n + it.marks.length, 0);
  if (explicit > MAX_BREAKPOINTS) {
    throw invalid(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${explicit}.`);
  }
  applyAutomatic(items, body.cache_control, explicit);

  let seen5m = false;
  for (const it of items) {
    for (const ttl of it.marks) {
      if (ttl === '5m') seen5m = true;
      else if (seen5m) {
        throw new ApiError(400, "cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block.");
      }
    }
  }

  const systemSalt = JSON.stringify({ speed: body.speed ?? 'standard', citations: citationsOn(items) });
  const messagesSalt = JSON.stringify({
    tool_choice: body.tool_choice ?? null,
    thinking: thinking.mode === 'enabled' ? { mode: 'enabled', budget: thinking.budget } : { mode: thinking.mode },
    effort: body.output_config?.effort ?? null,
    images: hasImages(items),
  });

  const hashes: string[] = [];
  const cumulative: number[] = [];
  const breakpoints: PromptLayout['breakpoints'] = [];
  let hash = digest('fake-anthropic-prompt-cache', scope);
  let tokens = 0;
  let section: Item['section'] = 'tools';
  const enter = (next: Item['section']) => {
    if (section === 'tools' && next !== 'tools') hash = digest(hash, `system|${systemSalt}`);
    if (next === 'messages' && section !== 'messages') hash = digest(hash, `messages|${messagesSalt}`);
    section = next;
  };
  items.forEach((it, position) => {
    enter(it.section);
    hash = digest(hash, it.canonical);
    tokens += it.tokens;
    hashes.push(hash);
    cumulative.push(tokens);
    if (it.marks.length > 0) breakpoints.push({ position, ttl: it.marks.includes('1h') ? '1h' : '5m' });
  });
  return { hashes, cumulative, breakpoints, totalTokens: tokens };
}
