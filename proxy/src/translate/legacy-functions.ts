// The legacy `functions` API answered in kind: a request that declares `functions` (and no `tools`) gets its
// call back as `message.function_call` with `finish_reason: "function_call"`, streamed as
// `delta.function_call` ({name, arguments: ""} first, then argument fragments). That API carries one call per
// turn, so the request asks Claude for one (disable_parallel_tool_use) and only the first call is reported.
import type { ChatRequest } from './openai-types.ts';

export type LegacyFinishReason = 'function_call';

export function usesLegacyFunctions(req: Pick<ChatRequest, 'functions' | 'tools'>): boolean {
  return (req.functions?.length ?? 0) > 0 && (req.tools?.length ?? 0) === 0;
}

interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface LegacyFunctionDelta {
  name?: string;
  arguments: string;
}

/** A stream delta's first tool call as `function_call`; later calls are dropped. Undefined when nothing is left. */
export function legacyDelta<D extends { tool_calls?: ToolCallDelta[] }>(delta: D): (Omit<D, 'tool_calls'> & { function_call?: LegacyFunctionDelta }) | undefined {
  if (!delta.tool_calls) return delta;
  const { tool_calls: calls, ...rest } = delta;
  const first = calls.find((c) => c.index === 0);
  if (!first) return Object.keys(rest).length > 0 ? rest : undefined;
  const fn = first.function ?? {};
  return { ...rest, function_call: { ...(fn.name !== undefined && { name: fn.name }), arguments: fn.arguments ?? '' } };
}

/** The non-streamed assistant message with its first tool call as `function_call`. */
export function legacyMessage<M extends { tool_calls?: Array<{ function: { name: string; arguments: string } }> }>(
  message: M,
): Omit<M, 'tool_calls'> & { function_call?: { name: string; arguments: string } } {
  const { tool_calls: calls, ...rest } = message;
  const first = calls?.[0];
  return first ? { ...rest, function_call: { name: first.function.name, arguments: first.function.arguments } } : rest;
}

export function legacyFinish<F extends string>(reason: F): F | LegacyFinishReason {
  return reason === 'tool_calls' ? 'function_call' : reason;
}
