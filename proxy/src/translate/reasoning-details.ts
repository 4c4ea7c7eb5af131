// `reasoning_details`: the array OpenRouter-compatible clients keep on assistant messages and send back, so a
// conversation's signed thinking travels with the client and survives any replica or an expired store.
// Entries follow OpenRouter's shapes: `reasoning.text` {text, signature} and `reasoning.encrypted` {data},
// with `format: "anthropic-claude-v1"` and the block's `index`. The `id` seals the prefix digest the block is
// bound to (`cgb1_<digest>.<mac>`): only entries this gateway (or a replica on the same account) issued, and
// nobody changed, are sent back upstream; an edited or foreign entry is left out, so it never causes a 400.
import type { KeptThinkingBlock } from './thinking.ts';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const REASONING_FORMAT = 'anthropic-claude-v1';
const ID_PREFIX = 'cgb1_';

export interface ReasoningDetail {
  type: 'reasoning.text' | 'reasoning.encrypted';
  text?: string;
  signature?: string;
  data?: string;
  format: string;
  index: number;
  id?: string;
}

export function toReasoningDetail(block: KeptThinkingBlock, index: number, id?: string): ReasoningDetail {
  const tag = id ? { id } : {};
  if (block.type === 'thinking') return { type: 'reasoning.text', text: block.thinking, signature: block.signature, format: REASONING_FORMAT, index, ...tag };
  return { type: 'reasoning.encrypted', data: block.data, format: REASONING_FORMAT, index, ...tag };
}

/** A block as the client carried it back, with the id it came with. */
export interface CarriedBlock {
  block: KeptThinkingBlock;
  id?: string;
}

/** The Anthropic blocks in a client's reasoning_details; entries of other formats or without a signature are skipped. */
export function fromReasoningDetails(details: unknown): CarriedBlock[] {
  if (!Array.isArray(details)) return [];
  const carried: CarriedBlock[] = [];
  for (const entry of details as Array<Partial<ReasoningDetail> | null>) {
    if (!entry || typeof entry !== 'object' || (entry.format !== undefined && entry.format !== REASONING_FORMAT)) continue;
    const block = blockOf(entry);
    if (block) carried.push({ block, ...(typeof entry.id === 'string' && { id: entry.id }) });
  }
  return carried;
}

/**
 * Seals a block's binding into its reasoning detail id with an HMAC over the binding and the whole block, so
 * a later request can tell an entry this gateway issued, unaltered, from an edited or foreign one. The key
 * is derived from the upstream credential: every replica serving the same account opens what another sealed.
 */
export interface CarrySeal {
  seal(block: KeptThinkingBlock, binding: string): string;
  /** The sealed binding, or undefined when the id is not a valid seal of this very block. */
  open(block: KeptThinkingBlock, id: string | undefined): string | undefined;
}

export function createCarrySeal(secret: string): CarrySeal {
  const key = createHash('sha256').update('coding-gateway reasoning_details v1\0').update(secret).digest();
  const mac = (block: KeptThinkingBlock, binding: string) =>
    createHmac('sha256', key).update(binding).update('\0').update(JSON.stringify(block)).digest('base64url').slice(0, 32);
  return {
    seal: (block, binding) => `${ID_PREFIX}${binding}.${mac(block, binding)}`,
    open(block, id) {
      if (typeof id !== 'string' || !id.startsWith(ID_PREFIX)) return undefined;
      const [binding, given] = id.slice(ID_PREFIX.length).split('.');
      if (!binding || !given) return undefined;
      const expected = Buffer.from(mac(block, binding));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual) ? binding : undefined;
    },
  };
}

function blockOf(entry: Partial<ReasoningDetail>): KeptThinkingBlock | undefined {
  if (entry.type === 'reasoning.text' && typeof entry.signature === 'string' && entry.signature !== '') {
    return { type: 'thinking', thinking: typeof entry.text === 'string' ? entry.text : '', signature: entry.signature };
  }
  if (entry.type === 'reasoning.encrypted' && typeof entry.data === 'string' && entry.data !== '') return { type: 'redacted_thinking', data: entry.data };
  return undefined;
}
