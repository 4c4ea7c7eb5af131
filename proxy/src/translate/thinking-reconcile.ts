// Fits the thinking blocks of a request about to be sent to what the model will accept, after every rewrite
// (translation, restored thinking, token reduction) has run:
// - on models that run the prefix check, a block whose recorded binding differs from the prefix in front of
//   it now is removed with the rest of its turn's thinking (the API would reject or drop them); blocks
//   produced before the change were bound to it, so they fail too, while thinking produced after it stays valid;
// - blocks the gateway has no record of (client-kept, or from a store that forgot them) stay, with
//   `drop_block` and its beta set so the API removes them instead of failing the request;
// - with manual thinking (`enabled`), a final assistant tool turn must start with a thinking block: when it
//   has none left, thinking is switched off for this request, which every budget-thinking model allows.
// Pure: the params are copied, never changed in place.
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { ModelCapabilities } from '../models/catalog.ts';
import type { KeptThinkingBlock } from './thinking.ts';
import { BINDING_BETA, headDigest, isThinkingBlock, nextDigest } from './thinking-binding.ts';

export interface ReconcileOptions {
  caps: Pick<ModelCapabilities, 'id' | 'thinking' | 'preservedThinking'>;
  /** The binding the gateway recorded (or sealed) for a block, when it has one. */
  bindingOf(block: KeptThinkingBlock): string | undefined;
}

export interface ThinkingReport {
  /** Thinking blocks in the request as sent. */
  sent: number;
  /** Blocks removed because their prefix changed (or an earlier block's did). */
  removed: number;
  /** Blocks sent whose binding the gateway could not check. */
  unchecked: number;
  notes: string[];
  /** anthropic-beta values the request needs. */
  betas: string[];
  /** Set when manual thinking was switched off for this request. */
  switchedOff?: true;
}

export interface Reconciled {
  params: MessageCreateParams;
  report: ThinkingReport;
}

type Thinking = { type: string; [key: string]: unknown };

export function reconcileThinking(params: MessageCreateParams, opts: ReconcileOptions): Reconciled {
  const report: ThinkingReport = { sent: 0, removed: 0, unchecked: 0, notes: [], betas: [] };
  const messages = opts.caps.preservedThinking ? dropStale(params, opts, report) : params.messages;
  report.sent = countThinking(messages);
  if (opts.caps.preservedThinking && report.removed > 0) {
    report.notes.push(`${report.removed} earlier thinking block(s) not sent back (the conversation before them changed since they were produced)`);
  }
  let thinking = params.thinking as Thinking | undefined;
  if (thinking?.type === 'enabled' && lastToolTurnLacksThinking(messages)) {
    report.notes.push('thinking off for this request (the last tool turn has no thinking block to send back, which manual thinking requires)');
    thinking = undefined;
    report.switchedOff = true;
  } else if (opts.caps.preservedThinking && report.unchecked > 0) {
    const bound = withDropBlock(thinking, opts.caps);
    if (bound) {
      thinking = bound;
      report.betas.push(BINDING_BETA);
    }
  }
  const { thinking: _old, ...rest } = params;
  const next = { ...rest, ...(thinking ? { thinking } : {}), messages } as MessageCreateParams;
  return { params: next, report };
}

/**
 * Removes each block whose recorded prefix differs from the one in front of it now, with the rest of its
 * turn's thinking. Each message is compared as it will be sent (after earlier removals), so thinking produced
 * after an earlier edit stays valid.
 */
function dropStale(params: MessageCreateParams, opts: ReconcileOptions, report: ThinkingReport): MessageParam[] {
  let digest = headDigest(params);
  return params.messages.map((message) => {
    const prefix = digest;
    let failing = false;
    const kept =
      message.role !== 'assistant' || typeof message.content === 'string'
        ? message.content
        : message.content.filter((block) => {
            if (!isThinkingBlock(block)) return true;
            const binding = opts.bindingOf(block);
            if (!failing && binding === undefined) report.unchecked++;
            failing ||= binding !== undefined && binding !== prefix;
            if (failing) report.removed++;
            return !failing;
          });
    const sent = kept === message.content || kept.length === message.content.length ? message : ({ ...message, content: kept } as MessageParam);
    digest = nextDigest(digest, sent);
    return sent;
  });
}

function countThinking(messages: readonly MessageParam[]): number {
  let n = 0;
  for (const message of messages) {
    if (message.role === 'assistant' && typeof message.content !== 'string') n += message.content.filter(isThinkingBlock).length;
  }
  return n;
}

function lastToolTurnLacksThinking(messages: readonly MessageParam[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'assistant') continue;
    if (typeof message.content === 'string' || !message.content.some((b) => b.type === 'tool_use')) return false;
    return !isThinkingBlock(message.content[0]);
  }
  return false;
}

/**
 * The thinking config with `drop_block`, so a block the gateway could not check never fails the request.
 * Without a config, only a model that always thinks gets one (`adaptive` is then what it does anyway).
 */
function withDropBlock(thinking: Thinking | undefined, caps: ReconcileOptions['caps']): Thinking | undefined {
  const binding = { prefix_mismatch_behavior: 'drop_block' };
  if (thinking?.type === 'adaptive' || thinking?.type === 'enabled') return { ...thinking, block_binding: binding };
  if (!thinking && caps.thinking === 'always-on') return { type: 'adaptive', block_binding: binding };
  return undefined;
}

/** A translated request with its thinking fitted: notes joined to its adjustments, betas it now needs. */
export function fitThinking<T extends { params: MessageCreateParams; adjustments: string[]; betas?: string[] }>(
  translated: T,
  opts: ReconcileOptions,
): T & { thinkingReport: ThinkingReport } {
  const { params, report } = reconcileThinking(translated.params, opts);
  const notes = report.notes.length === 0 ? translated.adjustments : [...translated.adjustments, ...report.notes];
  const betas = report.betas.length === 0 && translated.betas ? translated.betas : [...new Set([...(translated.betas ?? []), ...report.betas])];
  return { ...translated, params, adjustments: notes, betas, thinkingReport: report };
}
