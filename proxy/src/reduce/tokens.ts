// Cheap, deterministic token estimates: about four characters of a block's JSON per token, the same rule
// of thumb Anthropic's tokenizer roughly follows for code and English. No tokenizer runs on the hot path,
// and a message's estimate is remembered by identity: the pipeline never mutates, so a message a layer left
// alone is not measured again.
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { IdentityMemo } from './identity-memo.ts';

export const CHARS_PER_TOKEN = 4;

const charsOf = new WeakMap<object, number>();

export function jsonChars(value: object): number {
  let chars = charsOf.get(value);
  if (chars === undefined) {
    chars = JSON.stringify(value).length;
    charsOf.set(value, chars);
  }
  return chars;
}

export function tokensOfChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function textTokens(text: string): number {
  return tokensOfChars(text.length);
}

const contentCharsOf = new WeakMap<object, number>();

/** Characters of a message's content as JSON (remembered per message: the prefix state keeps their identities). */
export function contentChars(message: MessageParam): number {
  if (typeof message.content !== 'string') return jsonChars(message.content);
  let chars = contentCharsOf.get(message);
  if (chars === undefined) {
    chars = JSON.stringify(message.content).length;
    contentCharsOf.set(message, chars);
  }
  return chars;
}

// String system prompts, measured once per conversation (the prefix state hands the same string on).
const systemCharsOf = new IdentityMemo<number>();

function systemChars(system: string): number {
  return systemCharsOf.get(system, '', () => JSON.stringify(system).length);
}

export function messageTokens(message: MessageParam): number {
  return tokensOfChars(contentChars(message));
}

/** Tokens of what the prompt cache sees: tools, system and messages. */
export function requestTokens(params: MessageCreateParams): number {
  let chars = 0;
  if (params.tools) chars += jsonChars(params.tools);
  if (params.system) chars += typeof params.system === 'string' ? systemChars(params.system) : jsonChars(params.system);
  for (const message of params.messages) chars += contentChars(message);
  return tokensOfChars(chars);
}
