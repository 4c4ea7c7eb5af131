// The chat route's thinking continuity: one batched read of the thinking store per request, the fitting of
// each attempt's thinking to its model, keeping a tool turn's thinking with what it is bound to, and telling
// the client what the upstream itself dropped (`input_transformations`).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import type { ModelCapabilities } from '../../models/catalog.ts';
import type { ThinkingRecall } from '../../store/thinking-store.ts';
import type { ChatRequest } from '../../translate/openai-types.ts';
import type { TranslatedRequest } from '../../translate/request.ts';
import type { KeptThinkingBlock, ThinkingCarry } from '../../translate/thinking.ts';
import { BINDING_BETA, bindingOf, blockKey } from '../../translate/thinking-binding.ts';
import { createCarrySeal, type CarrySeal } from '../../translate/reasoning-details.ts';
import { liftCarriedThinking } from '../../translate/thinking-carry.ts';
import { thinkingKeysOf } from '../../translate/thinking-keys.ts';
import { fitThinking, type ThinkingReport } from '../../translate/thinking-reconcile.ts';
import type { UpstreamAnswer } from '../../upstream/call.ts';
import { droppedUpstreamBlocks, droppedUpstreamNotes } from '../../translate/thinking-transformations.ts';
import type { GatewayContext } from '../../gateway/context.ts';

export interface RequestThinking extends ThinkingRecall {
  /** The request's messages with the thinking the client carried lifted into them. */
  messages: ChatRequest['messages'];
  /** Carried entries left out (not sealed here, or changed). */
  ignored: number;
}

type SealContext = Pick<GatewayContext, 'config'>;
const SEALS = new WeakMap<SealContext, CarrySeal>();

/** The seal of reasoning_details ids, keyed by the upstream credential all replicas on one account share. */
export function carrySeal(ctx: SealContext): CarrySeal {
  let seal = SEALS.get(ctx);
  if (!seal) {
    seal = createCarrySeal(ctx.config.anthropicApiKey ?? '');
    SEALS.set(ctx, seal);
  }
  return seal;
}

/** Lifts carried thinking, then reads the store once for every key the request may need. */
export async function recallThinking(ctx: Pick<GatewayContext, 'config' | 'thinking'>, chat: ChatRequest): Promise<RequestThinking> {
  const lifted = liftCarriedThinking(chat.messages, carrySeal(ctx));
  const keys = thinkingKeysOf(lifted.messages);
  const recall = await ctx.thinking.recall(keys.toolCallIds, keys.blocks);
  return {
    lookup: recall.lookup,
    bindingOf: (block) => recall.bindingOf(block) ?? lifted.bindings.get(blockKey(block)),
    messages: lifted.messages,
    ignored: lifted.ignored,
  };
}

export function fitAttempt<T extends TranslatedRequest>(translated: T, caps: ModelCapabilities, recall: RequestThinking) {
  const fitted = fitThinking(translated, { caps, bindingOf: recall.bindingOf });
  if (recall.ignored === 0) return fitted;
  const note = `${recall.ignored} reasoning_details entr${recall.ignored === 1 ? 'y' : 'ies'} not sent back (not issued by this gateway, or changed)`;
  return { ...fitted, adjustments: [...fitted.adjustments, note] };
}

/**
 * Keeps a turn's thinking bound to exactly the params that produced it. After plugin rounds the answer came
 * from a longer request than these params, so its blocks are kept as bound to nothing this gateway will send:
 * models that check the prefix get them left out, older models still get them back.
 */
export function thinkingKeeper(ctx: Pick<GatewayContext, 'thinking'>, params: MessageCreateParams, pluginRounds = false): (carry: ThinkingCarry) => Promise<void> {
  // Digested when an answer brings thinking to keep: most answers bring none.
  return (carry) => ctx.thinking.remember({ ...carry, binding: pluginRounds ? UNKNOWN_PREFIX : bindingOf(params), model: params.model });
}

const UNKNOWN_PREFIX = 'after-plugin-rounds';

/** Seals each block of an answer to these params for the client's reasoning_details. */
export function thinkingSealer(ctx: SealContext, params: MessageCreateParams, pluginRounds = false): (block: KeptThinkingBlock) => string {
  const seal = carrySeal(ctx);
  return (block) => seal.seal(block, pluginRounds ? UNKNOWN_PREFIX : bindingOf(params));
}

/** The anthropic-beta header a fitted request needs, if any. */
export function betaHeaders(translated: Pick<TranslatedRequest, 'betas'>): Record<string, string> {
  return translated.betas && translated.betas.length > 0 ? { 'anthropic-beta': translated.betas.join(',') } : {};
}

/** Records what happened to the thinking of the answering request, and what the upstream itself dropped. */
export function noteThinking(reply: FastifyReply, record: FastifyRequest['record'], report: ThinkingReport, answer: UpstreamAnswer): void {
  const dropBlock = report.betas.includes(BINDING_BETA);
  if (report.sent + report.removed > 0 || dropBlock || report.switchedOff) {
    record.thinking = {
      sent: report.sent, removed: report.removed, unchecked: report.unchecked,
      dropBlock, switchedOff: report.switchedOff === true, upstream: [],
    };
  }
  noteUpstreamDrops(reply, record, answer.kind === 'body' ? answer.json : openingMessage(answer.opened.opening.events));
}

/** Notes what the upstream dropped, from a message or a stream's message_start. */
export function noteUpstreamDrops(reply: FastifyReply, record: FastifyRequest['record'], message: unknown): void {
  const transformations = (message as { input_transformations?: unknown } | undefined)?.input_transformations;
  const notes = droppedUpstreamNotes(transformations);
  if (notes.length === 0) return;
  const upstream = droppedUpstreamBlocks(transformations);
  record.thinking = { ...(record.thinking ?? EMPTY_THINKING), upstream: [...(record.thinking?.upstream ?? []), ...upstream] };
  record.adjustments = [...(record.adjustments ?? []), ...notes];
  reply.header('x-gateway-adjustments', record.adjustments.join('; ').replace(/[^\x20-\x7e]/g, '?'));
}

const EMPTY_THINKING = { sent: 0, removed: 0, unchecked: 0, dropBlock: false, switchedOff: false, upstream: [] };

/** The message of a stream's opening message_start event, if it was read. */
export function openingMessage(events: ReadonlyArray<{ type: string }>): unknown {
  const start = events.find((e) => e.type === 'message_start') as { message?: unknown } | undefined;
  return start?.message;
}
