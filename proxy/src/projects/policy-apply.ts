// A project's policy applied to a chat request: its default model when the request names none (or 'default'),
// and its max_tokens cap, which also bounds what the translator may raise max_tokens to for a thinking budget.
import type { ModelCapabilities } from '../models/catalog.ts';
import type { ChatRequest } from '../translate/openai-types.ts';
import type { TranslatedRequest } from '../translate/request.ts';
import type { Identity, ProjectPolicy } from './identity.ts';

export function policyOf(request: { identity?: Identity | null }): ProjectPolicy | undefined {
  return request.identity?.project;
}

/** The body with the project's default model filled in when the client named no model or 'default'. */
export function withDefaultModel(body: unknown, policy: ProjectPolicy | undefined): unknown {
  if (!policy?.defaultModel || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  const model = (body as { model?: unknown }).model;
  const unnamed = model === undefined || model === null || (typeof model === 'string' && (model.trim() === '' || model.trim().toLowerCase() === 'default'));
  return unnamed ? { ...(body as object), model: policy.defaultModel } : body;
}

/** Clamps the client's max_tokens to the project's cap; returns the note for X-Gateway-Adjustments. */
export function capMaxTokens(chat: ChatRequest, policy: ProjectPolicy | undefined): string | undefined {
  const cap = policy?.maxTokensCap;
  if (!cap) return undefined;
  const asked = chat.max_completion_tokens ?? chat.max_tokens ?? undefined;
  if (asked === undefined || asked <= cap) return undefined;
  if (chat.max_completion_tokens != null) chat.max_completion_tokens = cap;
  if (chat.max_tokens != null) chat.max_tokens = cap;
  return `max_tokens ${asked} clamped to ${cap} (the max_tokens cap of project ${policy.id})`;
}

/** The model's limits narrowed to the project's cap, so defaults and thinking room stay under it too. */
export function capCapabilities(caps: ModelCapabilities, policy: ProjectPolicy | undefined): ModelCapabilities {
  const cap = policy?.maxTokensCap;
  if (!cap || cap >= caps.maxOutputTokens) return caps;
  return { ...caps, maxOutputTokens: cap, defaultMaxTokens: Math.min(caps.defaultMaxTokens, cap) };
}

/** The translation with the cap's note first among its adjustments. */
export function withNote(translated: TranslatedRequest, note: string | undefined): TranslatedRequest {
  if (!note || translated.adjustments.includes(note)) return translated;
  return { ...translated, adjustments: [note, ...translated.adjustments] };
}

const MIN_THINKING_BUDGET = 1024;

/**
 * The cap applied to a native Anthropic body (/v1/messages): max_tokens clamped, and a thinking budget, which
 * Anthropic requires below max_tokens, lowered with it (or thinking left out when no budget fits).
 */
export function capMessagesBody<T extends Record<string, unknown>>(body: T, policy: ProjectPolicy | undefined): { body: T; note?: string } {
  const cap = policy?.maxTokensCap;
  const asked = body.max_tokens;
  if (!cap || typeof asked !== 'number' || asked <= cap) return { body };
  const out: Record<string, unknown> = { ...body, max_tokens: cap };
  const notes = [`max_tokens ${asked} clamped to ${cap} (the max_tokens cap of project ${policy.id})`];
  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number' && thinking.budget_tokens >= cap) {
    if (cap - 1 >= MIN_THINKING_BUDGET) {
      out.thinking = { ...thinking, budget_tokens: cap - 1 };
      notes.push(`thinking budget ${thinking.budget_tokens} lowered to ${cap - 1}`);
    } else {
      delete out.thinking;
      notes.push(`thinking left out (no budget of ${MIN_THINKING_BUDGET} fits under ${cap})`);
    }
  }
  return { body: out as T, note: notes.join(', ') };
}
