// Thinking configuration and signatures.
//
// From the docs ("Extended thinking", "Adaptive thinking", "What's new in Claude Opus 5", the migration
// guides): manual thinking needs budget_tokens >= 1024 and below max_tokens; Opus 4.7 and later refuse
// `enabled` and want `adaptive`; 4.5-generation models have no `adaptive`; some models think unless told
// not to, and the newest always think; forcing a tool with tool_choice is refused with manual thinking;
// Claude Opus 5 only lets thinking be disabled at effort high or below. Thinking blocks carry a
// signature that must come back unchanged; the fake signs with an HMAC so it can check them statelessly.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalid } from './api-error.ts';
import type { FakeModel } from './models.ts';

/** What a signature says about its block: the model that produced it and the prefix it is bound to. */
export interface BlockOrigin {
  model: string;
  binding: string;
}

export type ThinkingMode = 'enabled' | 'adaptive' | 'disabled';

export interface EffectiveThinking {
  mode: ThinkingMode;
  /** Whether the model thinks on this request. */
  on: boolean;
  budget?: number;
  display: 'summarized' | 'omitted';
  /** Whether the caller set `thinking` at all (the model default applies otherwise). */
  explicit: boolean;
}

const FORCED_TOOL_CHOICES = new Set(['any', 'tool']);
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

/** Validates `thinking` against the model and the rest of the request; returns what applies. */
export function resolveThinking(body: any, model: FakeModel): EffectiveThinking {
  const t = body.thinking;
  const display = (mode: ThinkingMode): 'summarized' | 'omitted' =>
    mode !== 'disabled' && (t?.display === 'summarized' || t?.display === 'omitted') ? t.display : model.thinking.defaultDisplay;

  if (t === undefined || t === null) {
    const mode: ThinkingMode = model.thinking.onByDefault ? 'adaptive' : 'disabled';
    return { mode, on: mode !== 'disabled', display: display(mode), explicit: false };
  }
  if (typeof t !== 'object' || Array.isArray(t)) throw invalid('thinking: Input should be an object');
  const mode = t.type;
  if (mode !== 'enabled' && mode !== 'adaptive' && mode !== 'disabled' && mode !== 'between_tools') {
    throw invalid(
      `thinking: Input tag '${String(mode)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'between_tools', 'adaptive'`,
    );
  }
  if (mode === 'between_tools' || (mode === 'disabled' && !model.thinking.disabled)) {
    throw invalid(`"thinking.type.${mode}" is not supported for this model.`);
  }
  if (t.display !== undefined && t.display !== null && t.display !== 'summarized' && t.display !== 'omitted') {
    throw invalid(`thinking.${mode}.display: Input should be 'summarized' or 'omitted'`);
  }

  if (mode === 'enabled') {
    if (!model.thinking.enabled) {
      throw invalid(
        '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
      );
    }
    const budget = t.budget_tokens;
    if (budget === undefined) throw invalid('thinking.enabled.budget_tokens: Field required');
    if (!Number.isInteger(budget)) throw invalid('thinking.enabled.budget_tokens: Input should be a valid integer');
    if (budget < 1024) throw invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (typeof body.max_tokens === 'number' && body.max_tokens <= budget) {
      throw invalid('`max_tokens` must be greater than `thinking.budget_tokens`.');
    }
    if (FORCED_TOOL_CHOICES.has(body.tool_choice?.type)) {
      throw invalid('Thinking may not be enabled when tool_choice forces tool use.');
    }
    return { mode, on: true, budget, display: display(mode), explicit: true };
  }
  if (mode === 'adaptive') {
    if (!model.thinking.adaptive) throw invalid('"thinking.type.adaptive" is not supported for this model.');
    return { mode, on: true, display: display(mode), explicit: true };
  }
  const effort = body.output_config?.effort;
  if (model.disabledNeedsLowEffort && (effort === 'xhigh' || effort === 'max')) {
    throw invalid(`"thinking.type.disabled" is not supported with effort "${effort}" for this model. Use effort "high" or below, or remove "thinking".`);
  }
  return { mode, on: false, display: display(mode), explicit: true };
}

export function validateEffort(body: any): void {
  const effort = body.output_config?.effort;
  if (effort !== undefined && effort !== null && !EFFORTS.has(effort)) {
    throw invalid("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
  }
}

// A fixed key keeps signatures valid across restarts of the fake, like the real API across requests.
const SIGNING_KEY = 'fake-anthropic-thinking-signature-v1';

function mac(kind: string, nonce: string, payload: string): string {
  return createHmac('sha256', SIGNING_KEY).update(kind).update('\0').update(nonce).update('\0').update(payload).digest('base64url');
}

/** Signs the thinking text exactly as returned, bound to a nonce so two blocks never share a signature. */
export function signThinking(thinking: string, nonce: string): string {
  return Buffer.from(`${nonce}.${mac('thinking', nonce, thinking)}`).toString('base64');
}

export function verifyThinking(thinking: string, signature: unknown): boolean {
  return verify('thinking', thinking, signature);
}

/** Opaque stand-in for the encrypted payload of a redacted thinking block. */
export function redactedData(nonce: string): string {
  return Buffer.from(`redacted.${nonce}.${mac('redacted', nonce, '')}`).toString('base64');
}

export function verifyRedacted(data: unknown): boolean {
  if (typeof data !== 'string') return false;
  const decoded = Buffer.from(data, 'base64').toString();
  if (!decoded.startsWith('redacted.')) return false;
  return verify('redacted', '', Buffer.from(decoded.slice('redacted.'.length)).toString('base64'));
}

function verify(kind: string, payload: string, token: unknown): boolean {
  return signedNonce(kind, payload, token) !== undefined;
}

/** The nonce a valid token was signed with, or undefined when the token is not one of ours. */
function signedNonce(kind: string, payload: string, token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length === 0) return undefined;
  const decoded = Buffer.from(token, 'base64').toString();
  const dot = decoded.indexOf('.');
  if (dot <= 0) return undefined;
  const nonce = decoded.slice(0, dot);
  const expected = Buffer.from(mac(kind, nonce, payload));
  const given = Buffer.from(decoded.slice(dot + 1));
  return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : undefined;
}

/**
 * A nonce that also records, under the signature, the model that produced the block and the prefix it is bound
 * to (see preserved-thinking.ts): `<random>~<model>~<binding>`.
 */
export function originNonce(random: string, origin: BlockOrigin): string {
  return `${random}~${origin.model}~${origin.binding}`;
}

/** The signed origin of a thinking or redacted_thinking block (blocks signed without one have none). */
export function originOf(block: any): BlockOrigin | undefined {
  const nonce =
    block?.type === 'thinking'
      ? signedNonce('thinking', String(block.thinking), block.signature)
      : typeof block?.data === 'string'
        ? signedNonce('redacted', '', Buffer.from(Buffer.from(block.data, 'base64').toString().slice('redacted.'.length)).toString('base64'))
        : undefined;
  const parts = nonce?.split('~');
  return parts && parts.length === 3 ? { model: parts[1]!, binding: parts[2]! } : undefined;
}
