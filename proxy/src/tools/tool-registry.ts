// Every plugin tool the gateway can run: the built-ins and the user's plugins, loaded once at start. A project
// sees those its `allowed_tools` names (all of them when it names none), always in name order, so the tool
// list sent upstream — part of the cached prefix — is the same on every request.
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { loadPlugins, type PluginLoadError } from './plugin-loader.ts';
import type { PluginTool } from './tool-types.ts';

export class ToolRegistry {
  private readonly tools = new Map<string, PluginTool>();
  private readonly problems: PluginLoadError[] = [];

  constructor(builtins: readonly PluginTool[]) {
    for (const tool of builtins) this.tools.set(tool.name, tool);
  }

  /** Loads DATA_DIR/plugins; problems are kept for the admin API and the log. */
  async loadPlugins(dir: string): Promise<PluginLoadError[]> {
    const loaded = await loadPlugins(dir);
    const problems = [...loaded.errors];
    for (const tool of loaded.tools) {
      const taken = this.tools.get(tool.name);
      if (taken) {
        problems.push({ file: tool.file ?? '', message: `tool name ${tool.name} is already taken (${taken.source === 'builtin' ? 'built-in' : taken.file})` });
        continue;
      }
      this.tools.set(tool.name, tool);
    }
    this.problems.push(...problems);
    return problems;
  }

  get loadErrors(): readonly PluginLoadError[] {
    return this.problems;
  }

  list(): PluginTool[] {
    return [...this.tools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): PluginTool | undefined {
    return this.tools.get(name);
  }

  /** The tools a project may use: `allowed` null means all. */
  forProject(allowed: readonly string[] | null): PluginTool[] {
    const all = this.list();
    return allowed === null ? all : all.filter((tool) => allowed.includes(tool.name));
  }
}

/** A tool's definition as Claude sees it. */
export function toolDefinition(tool: PluginTool): Tool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema as Tool.InputSchema };
}
