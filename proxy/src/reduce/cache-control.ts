// Layer 3, prompt caching: the gateway places Anthropic cache_control breakpoints itself. One after tools and
// system (they rarely change), and rolling ones on the last user turns: this request writes the cache up to its
// last user turn, and the next request, whose previous-to-last user turn is that same message, reads it back
// exactly, however many blocks the new turn added (the API looks back only 20 blocks from a breakpoint). At
// most 4 breakpoints in all. A breakpoint whose prefix is below the model's minimum cacheable size is left out:
// it would cache nothing. When the client placed its own breakpoints, they stay and ours only fill free slots
// where the client has none (tools+system, messages), never breaking the rule that 1h entries come first.
import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParams,
  MessageParam,
  TextBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import { blocksOf, systemBlocks } from './content.ts';
import { IdentityMemo } from './identity-memo.ts';
import { contentChars, jsonChars, tokensOfChars } from './tokens.ts';

export type CacheTtl = '5m' | '1h';

export const MAX_BREAKPOINTS = 4;
/** Rolling breakpoints on user turns, newest first. */
const ROLLING = 3;

interface Marked {
  cache_control?: CacheControlEphemeral | null;
}

const NOT_CACHEABLE = new Set(['thinking', 'redacted_thinking']);

function hasMark(value: unknown): boolean {
  return Boolean(value && typeof value === 'object' && (value as Marked).cache_control);
}

function blockMarks(block: ContentBlockParam): number {
  let n = hasMark(block) ? 1 : 0;
  if (block.type === 'tool_result' && Array.isArray(block.content)) n += block.content.filter(hasMark).length;
  return n;
}

export interface ClientMarks {
  prefix: number;
  messages: number;
  automatic: boolean;
  /** TTLs in prompt order, to keep 1h before 5m. */
  ttls: CacheTtl[];
}

function ttlOf(value: unknown): CacheTtl {
  return (value as Marked).cache_control?.ttl === '1h' ? '1h' : '5m';
}

export function clientMarks(params: MessageCreateParams): ClientMarks {
  const ttls: CacheTtl[] = [];
  let prefix = 0;
  // A string system prompt or message carries no marks; only block lists are walked.
  for (const item of [...(params.tools ?? []), ...(Array.isArray(params.system) ? params.system : [])]) {
    if (hasMark(item)) {
      prefix++;
      ttls.push(ttlOf(item));
    }
  }
  let messages = 0;
  for (const message of params.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      const n = blockMarks(block);
      messages += n;
      if (n > 0) ttls.push(hasMark(block) ? ttlOf(block) : '5m');
    }
  }
  const automatic = hasMark(params as unknown);
  return { prefix, messages, automatic, ttls };
}


function mark<T extends object>(item: T, ttl: CacheTtl): T {
  return { ...item, cache_control: ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' } };
}

function lastCacheable(blocks: readonly ContentBlockParam[]): number {
  for (let i = blocks.length - 1; i >= 0; i--) if (!NOT_CACHEABLE.has(blocks[i]!.type)) return i;
  return -1;
}

export interface PlaceOptions {
  minCacheableTokens: number;
  ttl: CacheTtl;
}

export interface PlaceResult {
  /** With every user turn in block form when the gateway manages message breakpoints. */
  params: MessageCreateParams;
  /** Breakpoints in the request afterwards, the client's included. */
  breakpoints: number;
  added: number;
}

// Transforms of a conversation's unchanged parts, remembered so that each keeps one identity from turn to turn.
const markedSystems = new IdentityMemo<TextBlockParam[]>();
const markedTools = new IdentityMemo<ToolUnion[]>();
const systemCharsMemo = new IdentityMemo<number>();
const blockForm = new WeakMap<MessageParam, MessageParam>();

/** A user turn with string content in block form, one object per message. */
function inBlockForm(message: MessageParam): MessageParam {
  if (message.role !== 'user' || typeof message.content !== 'string') return message;
  let converted = blockForm.get(message);
  if (!converted) blockForm.set(message, (converted = { ...message, content: blocksOf(message.content) }));
  return converted;
}

function systemChars(params: MessageCreateParams): number {
  return Array.isArray(params.system) ? jsonChars(params.system) : systemCharsMemo.get(params.system, '', () => jsonChars(systemBlocks(params)));
}

export function placeBreakpoints(params: MessageCreateParams, options: PlaceOptions): PlaceResult {
  const client = clientMarks(params);
  const used = client.prefix + client.messages + (client.automatic ? 1 : 0);
  let free = MAX_BREAKPOINTS - used;
  // A 5m mark of the client's before ours would make a 1h mark of ours invalid.
  const ttl: CacheTtl = client.ttls.includes('5m') ? '5m' : options.ttl;
  let out = params;
  let added = 0;

  // Tools and system: one mark on the last of them.
  let prefixChars = (params.tools ? jsonChars(params.tools) : 0) + systemChars(params);
  if (free > 0 && client.prefix === 0 && tokensOfChars(prefixChars) >= options.minCacheableTokens) {
    const system = systemBlocks(params);
    if (system.length > 0) {
      const blocks = markedSystems.get(params.system, ttl, () => {
        const marked: TextBlockParam[] = [...system];
        marked[marked.length - 1] = mark(marked[marked.length - 1]!, ttl);
        return marked;
      });
      out = { ...out, system: blocks };
      free--;
      added++;
    } else if (params.tools && params.tools.length > 0) {
      const source = params.tools;
      const tools = markedTools.get(source, ttl, () => {
        const marked: ToolUnion[] = [...source];
        marked[marked.length - 1] = mark(marked[marked.length - 1]!, ttl);
        return marked;
      });
      out = { ...out, tools };
      free--;
      added++;
    }
  }

  // Rolling marks on the last user turns, only when the client manages no message breakpoints itself.
  if (client.messages === 0 && !client.automatic) {
    // Every user turn in block form, marked or not, so a turn's bytes are the same when its mark moves on.
    out = { ...out, messages: out.messages.map(inBlockForm) };
  }
  if (free > 0 && client.messages === 0 && !client.automatic) {
    const positions: number[] = [];
    for (let i = params.messages.length - 1; i >= 0 && positions.length < Math.min(ROLLING, free); i--) {
      if (params.messages[i]!.role === 'user' && lastCacheable(blocksOf(params.messages[i]!.content)) >= 0) positions.push(i);
    }
    const cumulative: number[] = [];
    for (const message of params.messages) {
      prefixChars += contentChars(message);
      cumulative.push(tokensOfChars(prefixChars));
    }
    const messages: MessageParam[] = [...out.messages];
    for (const i of positions) {
      if (cumulative[i]! < options.minCacheableTokens) continue;
      const blocks = blocksOf(messages[i]!.content);
      const at = lastCacheable(blocks);
      blocks[at] = mark(blocks[at]!, ttl);
      messages[i] = { ...messages[i]!, content: blocks } as MessageParam;
      added++;
    }
    out = { ...out, messages };
  }
  return { params: out, breakpoints: used + added, added };
}
