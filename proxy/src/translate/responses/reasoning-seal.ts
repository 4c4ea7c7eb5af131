// Claude's thinking blocks travel to a Responses client inside a reasoning item's `encrypted_content` and come
// back on the next turn. The client must not read or alter them, and the gateway must not forward anything it
// did not issue: AES-256-GCM under a key only the gateway holds gives both. The IV is derived from the content
// (an HMAC under the same key), so sealing is a pure function: the same blocks always give the same text, the
// streamed and the finished response agree, and a resent history stays byte-identical. Equal plaintexts are
// the only thing that could share an IV, and they share the whole ciphertext anyway.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { isRecord } from '../json-values.ts';
import type { KeptThinkingBlock } from '../thinking.ts';

const PREFIX = 'cgr1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface ReasoningSeal {
  /** Opaque text carrying the blocks. */
  seal(blocks: readonly KeptThinkingBlock[]): string;
  /** The blocks, or undefined when the text was not sealed with this key or was altered. */
  open(text: string): KeptThinkingBlock[] | undefined;
}

export function createReasoningSeal(key: Buffer): ReasoningSeal {
  if (key.length !== 32) throw new Error('The reasoning key must be 32 bytes');
  return {
    seal(blocks) {
      const plain = JSON.stringify({ b: blocks });
      const iv = createHmac('sha256', key).update(plain, 'utf8').digest().subarray(0, IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(text) {
      if (!text.startsWith(PREFIX)) return undefined;
      const raw = Buffer.from(text.slice(PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
        return blocksOf(JSON.parse(plain.toString('utf8')));
      } catch {
        return undefined;
      }
    },
  };
}

function blocksOf(value: unknown): KeptThinkingBlock[] | undefined {
  if (!isRecord(value) || !Array.isArray(value.b)) return undefined;
  const blocks = value.b.filter(
    (b): b is KeptThinkingBlock =>
      isRecord(b) &&
      ((b.type === 'thinking' && typeof b.thinking === 'string' && typeof b.signature === 'string') ||
        (b.type === 'redacted_thinking' && typeof b.data === 'string')),
  );
  return blocks.length === value.b.length ? blocks : undefined;
}
