// The plugin-tool loop for a streamed answer, as a filter in front of the stream transducer: the client's
// stream is one message — one id, every round's text and reasoning as they arrive, its own tool calls — while
// plugin calls are cut out of it, run, and answered upstream in further rounds. Between rounds the round's
// end (message_delta, message_stop) and the next round's start are withheld; the final message_delta carries
// the usage summed over all rounds, so the usage chunk and the usage record count every round.
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { FinalAnswer } from '../memory/extract.ts';
import { toFinishReason } from '../translate/finish-reason.ts';
import type { OpenedStream } from '../upstream/open-stream.ts';
import type { AnthropicStreamEvent } from '../translate/message-fold.ts';
import { emptySnapshot, foldEvent } from '../translate/message-fold.ts';
import { toParams } from './assemble-message.ts';
import { addUsage, emptyUsage, nextRoundParams, runCalls, splitCalls, type LoopContext, type UsageTotals } from './plugin-loop.ts';
import { openRound } from './upstream-round.ts';

type Usage = Partial<Record<keyof UsageTotals, number | null>>;
/** The few fields of a stream event this loop reads; the event itself is passed on untouched. */
type EventBlock = { type?: string; name?: string; text?: string };
type EventDelta = { type?: string; text?: string; stop_reason?: string | null };
type EventView = { type: string; index?: number; content_block?: EventBlock; delta?: EventDelta; usage?: Usage };

/** Every event of an opened stream, the ones read before answering first. */
async function* eventsOf(opened: OpenedStream): AsyncGenerator<AnthropicStreamEvent> {
  yield* opened.opening.events;
  if (opened.opening.pendingNext) {
    const next = await opened.opening.pendingNext;
    if (next.done) return;
    yield next.value;
  }
  yield* opened.events;
}

/** Wraps an opened stream so the relay sees one client-facing message; see the top of this file. */
export function streamWithPlugins(first: OpenedStream, loop: LoopContext): OpenedStream {
  return { opening: { events: [] }, events: pluginRounds(first, loop) };
}

async function* pluginRounds(first: OpenedStream, loop: LoopContext): AsyncGenerator<AnthropicStreamEvent> {
  const hidden: MessageParam[] = [];
  const total = emptyUsage();
  const texts: string[] = [];
  let opened = first;
  let sentText = false;

  for (let round = 1; ; round++) {
    const snapshot = emptySnapshot();
    const cut = new Set<number>();
    const roundUsage = emptyUsage();
    let heldDelta: (AnthropicStreamEvent & { type: 'message_delta' }) | undefined;
    let separate = round > 1 && sentText;
    let roundText = '';
    let next: 'final' | 'continue' | undefined;

    for await (const event of eventsOf(opened)) {
      foldEvent(snapshot, event);
      const e = event as EventView;
      switch (e.type) {
        case 'message_start':
          if (round === 1) yield event;
          break;
        case 'content_block_start': {
          const block = e.content_block;
          if (block?.type === 'tool_use' && loop.tools.has(block.name ?? '')) {
            cut.add(e.index!);
            break;
          }
          if (block?.type === 'text' && block.text) {
            roundText += block.text;
            if (separate) {
              separate = false;
              yield { ...e, content_block: { ...block, text: `\n\n${block.text}` } } as AnthropicStreamEvent;
              sentText = true;
              break;
            }
            sentText = true;
          }
          yield event;
          break;
        }
        case 'content_block_delta':
          if (cut.has(e.index!)) break;
          if (e.delta?.type === 'text_delta' && e.delta.text) {
            roundText += e.delta.text;
            if (separate) {
              separate = false;
              sentText = true;
              yield { ...e, delta: { ...e.delta, text: `\n\n${e.delta.text}` } } as AnthropicStreamEvent;
              break;
            }
            sentText = true;
          }
          yield event;
          break;
        case 'content_block_stop':
          if (!cut.has(e.index!)) yield event;
          break;
        case 'message_delta':
          heldDelta = event as typeof heldDelta;
          break;
        case 'message_stop': {
          // The fold merged message_start's input counts with message_delta's cumulative ones.
          addUsage(roundUsage, snapshot.usage as Usage | undefined);
          addUsage(total, roundUsage);
          texts.push(roundText);
          const blocks = toParams(snapshot);
          const calls = splitCalls(blocks, loop.tools);
          const clientIds = calls.client.map((c) => c.id);
          if (calls.plugin.length === 0 || round > loop.maxRounds) {
            if (hidden.length > 0 && clientIds.length > 0) loop.exchanges.remember(clientIds, { before: hidden, assistant: blocks, results: [] });
            next = 'final';
          } else {
            const results = await runCalls(loop, calls.plugin);
            if (clientIds.length > 0) {
              loop.exchanges.remember(clientIds, { before: hidden, assistant: blocks, results });
              next = 'final';
            } else {
              hidden.push({ role: 'assistant', content: blocks }, { role: 'user', content: results });
              next = 'continue';
            }
          }
          if (next === 'final') {
            const stop = calls.client.length === 0 && heldDelta?.delta?.stop_reason === 'tool_use' ? 'end_turn' : heldDelta?.delta?.stop_reason ?? null;
            yield {
              type: 'message_delta',
              delta: { ...(heldDelta?.delta ?? { stop_sequence: null }), stop_reason: stop },
              usage: { ...(heldDelta?.usage ?? {}), ...total },
            } as AnthropicStreamEvent;
            yield event;
            loop.onAnswer?.({ text: texts.filter((t) => t !== '').join('\n\n'), finishReason: toFinishReason(stop), toolCalls: clientIds.length } satisfies FinalAnswer);
            return;
          }
          break;
        }
        default:
          // ping, error (the transducer ends the stream with it), and event types added later
          yield event;
          break;
      }
      if (next === 'continue') break;
    }
    // The upstream body ended without message_stop: the relay reports the incomplete answer.
    if (next !== 'continue') return;
    opened = await openRound(loop.calls, nextRoundParams(loop.params, hidden, round >= loop.maxRounds), loop.target);
  }
}

/** Passes a stream through untouched, telling `onAnswer` what the client was given (memory capture). */
export function observeStream(first: OpenedStream, onAnswer: (answer: FinalAnswer) => void): OpenedStream {
  return { opening: { events: [] }, events: observed(first, onAnswer) };
}

async function* observed(first: OpenedStream, onAnswer: (answer: FinalAnswer) => void): AsyncGenerator<AnthropicStreamEvent> {
  let text = '';
  let toolCalls = 0;
  let stop: string | null = null;
  for await (const event of eventsOf(first)) {
    const e = event as EventView;
    if (e.type === 'content_block_start' && e.content_block?.type === 'tool_use') toolCalls++;
    if (e.type === 'content_block_start' && e.content_block?.type === 'text' && e.content_block.text) text += e.content_block.text;
    if (e.type === 'content_block_delta' && e.delta?.type === 'text_delta' && e.delta.text) text += e.delta.text;
    if (e.type === 'message_delta' && e.delta?.stop_reason) stop = e.delta.stop_reason;
    yield event;
    if (e.type === 'message_stop') onAnswer({ text, finishReason: toFinishReason(stop as never), toolCalls });
  }
}
