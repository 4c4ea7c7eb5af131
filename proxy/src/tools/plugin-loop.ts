// The plugin-tool loop for a non-streamed answer: while Claude calls only gateway tools, run them, append the
// call and its results, and ask again; the client gets one completion — every round's text and reasoning,
// the final round's own tool calls, the summed usage. A round that mixes plugin and client calls ends the
// loop: the client gets its calls, the plugin calls and their results are kept for its next request.
import type {
  ContentBlock,
  ContentBlockParam,
  Message,
  MessageCreateParams,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { FinalAnswer } from '../memory/extract.ts';
import { toFinishReason } from '../translate/finish-reason.ts';
import type { CallUpstreamDeps } from '../upstream/call.ts';
import { paramBlocks } from './assemble-message.ts';
import type { ExchangeStore } from './exchange-store.ts';
import { runPluginCall } from './run-tool.ts';
import type { PluginTool } from './tool-types.ts';
import { sendRound, type RoundTarget } from './upstream-round.ts';

export interface LoopContext {
  /** How each further round reaches upstream. */
  calls: CallUpstreamDeps;
  /** The plugin tools offered in this request, by name. */
  tools: ReadonlyMap<string, PluginTool>;
  exchanges: ExchangeStore;
  target: RoundTarget;
  /** The request as sent for the first round (plugin tools included). */
  params: MessageCreateParams;
  maxRounds: number;
  timeoutMs: number;
  /** Called once with the answer the client got (memory capture). */
  onAnswer?: (answer: FinalAnswer) => void;
}

export interface UsageTotals {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export function emptyUsage(): UsageTotals {
  return { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
}

export function addUsage(total: UsageTotals, usage: Partial<Record<keyof UsageTotals, number | null>> | null | undefined): void {
  if (!usage) return;
  for (const key of Object.keys(total) as Array<keyof UsageTotals>) {
    const value = usage[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) total[key] += value;
  }
}

export function splitCalls(content: readonly ContentBlockParam[], tools: ReadonlyMap<string, PluginTool>) {
  const uses = content.filter((b): b is ToolUseBlockParam => b.type === 'tool_use');
  return { plugin: uses.filter((u) => tools.has(u.name)), client: uses.filter((u) => !tools.has(u.name)) };
}

/** Runs a round's plugin calls side by side; results come back in call order. */
export function runCalls(loop: LoopContext, calls: readonly ToolUseBlockParam[]): Promise<ToolResultBlockParam[]> {
  return Promise.all(
    calls.map((call) =>
      runPluginCall(loop.tools.get(call.name)!, call, { projectId: loop.target.projectId, timeoutMs: loop.timeoutMs, signal: loop.target.signal }),
    ),
  );
}

/** The next round's request: the history so far plus the hidden rounds; the last allowed round may not call tools. */
export function nextRoundParams(params: MessageCreateParams, hidden: readonly MessageParam[], lastRound: boolean): MessageCreateParams {
  return {
    ...params,
    messages: [...params.messages, ...hidden],
    ...(lastRound ? { tool_choice: { type: 'none' as const } } : {}),
  } as MessageCreateParams;
}

export function joinRoundTexts(texts: readonly string[]): string {
  return texts.filter((t) => t !== '').join('\n\n');
}

export async function completeWithPlugins(first: Message, loop: LoopContext): Promise<Message> {
  const hidden: MessageParam[] = [];
  const texts: string[] = [];
  const reasoning: ContentBlock[] = [];
  const usage = emptyUsage();
  let message = first;
  let clientCalls: ToolUseBlockParam[];

  for (let round = 1; ; round++) {
    addUsage(usage, message.usage);
    const content = paramBlocks(message.content);
    texts.push(message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(''));
    reasoning.push(...message.content.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking'));
    const calls = splitCalls(content, loop.tools);
    clientCalls = calls.client;
    // Past the round limit a disobedient model's plugin calls are dropped, never run.
    if (calls.plugin.length === 0 || round > loop.maxRounds) {
      if (hidden.length > 0 && clientCalls.length > 0) remember(loop, clientCalls, { before: hidden, assistant: content, results: [] });
      break;
    }
    const results = await runCalls(loop, calls.plugin);
    if (clientCalls.length > 0) {
      remember(loop, clientCalls, { before: hidden, assistant: content, results });
      break;
    }
    hidden.push({ role: 'assistant', content }, { role: 'user', content: results });
    message = await sendRound(loop.calls, nextRoundParams(loop.params, hidden, round >= loop.maxRounds), loop.target);
  }

  const text = joinRoundTexts(texts);
  const stopReason = clientCalls.length === 0 && message.stop_reason === 'tool_use' ? 'end_turn' : message.stop_reason;
  loop.onAnswer?.({ text, finishReason: toFinishReason(stopReason), toolCalls: clientCalls.length });
  if (hidden.length === 0 && splitCalls(paramBlocks(first.content), loop.tools).plugin.length === 0) return first;
  return {
    ...message,
    content: [
      ...reasoning,
      ...(text !== '' ? [{ type: 'text', text, citations: null } as ContentBlock] : []),
      ...clientCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input }) as ContentBlock),
    ],
    stop_reason: stopReason,
    usage: { ...message.usage, ...usage },
  };
}

function remember(loop: LoopContext, clientCalls: readonly ToolUseBlockParam[], exchange: Parameters<ExchangeStore['remember']>[1]): void {
  loop.exchanges.remember(
    clientCalls.map((c) => c.id),
    exchange,
  );
}
