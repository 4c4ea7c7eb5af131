// A tool the gateway runs itself: offered to Claude next to the client's tools, executed when Claude calls it,
// its result fed back upstream without the client seeing either.

export interface PluginToolContext {
  /** The calling project (memory and the repo map are per project). */
  projectId: string;
  /** Aborted when the call runs out of time or the client goes away. */
  signal: AbortSignal;
}

/** What a handler may return: text, or any JSON value (sent as its JSON text). */
export type PluginToolOutput = unknown;

export interface PluginTool {
  name: string;
  description: string;
  /** JSON Schema of the input (an object schema). */
  inputSchema: Record<string, unknown>;
  source: 'builtin' | 'plugin';
  /** The module it came from, for plugins. */
  file?: string;
  handler(input: Record<string, unknown>, ctx: PluginToolContext): PluginToolOutput | Promise<PluginToolOutput>;
}

/** Anthropic's rule for tool names. */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
