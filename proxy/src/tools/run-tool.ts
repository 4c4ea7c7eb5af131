// Runs one plugin call with a time limit. Whatever happens — a throw, a rejection, a timeout, an answer that
// is not text — becomes a tool_result for the model (is_error on failure); nothing escapes to the gateway.
import type { ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { PluginTool } from './tool-types.ts';

const MAX_RESULT_CHARS = 100_000;

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface RunOptions {
  projectId: string;
  timeoutMs: number;
  /** The request's own signal: a client that leaves cancels its plugin calls too. */
  signal: AbortSignal;
}

export async function runPluginCall(tool: PluginTool, call: ToolCall, options: RunOptions): Promise<ToolResultBlockParam> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  try {
    const input = call.input !== null && typeof call.input === 'object' && !Array.isArray(call.input) ? (call.input as Record<string, unknown>) : {};
    // Wrapped so a handler that throws synchronously is caught like one that rejects.
    const running = Promise.resolve().then(() => tool.handler(input, { projectId: options.projectId, signal: controller.signal }));
    running.catch(() => undefined); // a late rejection after a timeout is not unhandled
    const outcome = await Promise.race([running, timedOut]);
    if (outcome === 'timeout') {
      controller.abort(new Error('timeout'));
      return failure(call.id, `Tool ${tool.name} did not finish within ${formatSeconds(options.timeoutMs)}.`);
    }
    return { type: 'tool_result', tool_use_id: call.id, content: clip(textOf(outcome)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failure(call.id, `Tool ${tool.name} failed: ${message.slice(0, 2000)}`);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}

function failure(id: string, text: string): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: id, is_error: true, content: text };
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function clip(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}\n[output cut: ${text.length - MAX_RESULT_CHARS} more characters]`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}
