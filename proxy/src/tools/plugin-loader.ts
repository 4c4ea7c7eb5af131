// Loads user plugins: ES modules (*.mjs, *.js) in DATA_DIR/plugins, each exporting `name`, `description`, a
// JSON schema (`schema`, `inputSchema` or `parameters`) and `handler(input, ctx)` — as named exports or as
// the default export's fields. A module that fails to load or is malformed is reported and skipped; it never
// stops the gateway.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOOL_NAME, type PluginTool } from './tool-types.ts';

export const PLUGINS_DIR = 'plugins';

export interface PluginLoadError {
  file: string;
  message: string;
}

export interface LoadedPlugins {
  tools: PluginTool[];
  errors: PluginLoadError[];
}

export async function loadPlugins(dir: string): Promise<LoadedPlugins> {
  const out: LoadedPlugins = { tools: [], errors: [] };
  if (!existsSync(dir)) return out;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mjs') || f.endsWith('.js'))
    .sort();
  for (const file of files) {
    const path = join(dir, file);
    try {
      const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      out.tools.push(pluginFrom(module, path));
    } catch (error) {
      out.errors.push({ file: path, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

/** Checks a module's exports and shapes them into a tool; throws saying what is missing. */
export function pluginFrom(module: Record<string, unknown>, file: string): PluginTool {
  const fallback = module.default && typeof module.default === 'object' ? (module.default as Record<string, unknown>) : {};
  const pick = (key: string) => module[key] ?? fallback[key];
  const name = pick('name');
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    throw new Error('export `name` must be 1-64 letters, digits, "_" or "-"');
  }
  const handler = pick('handler');
  if (typeof handler !== 'function') throw new Error(`plugin ${name}: export \`handler\` must be a function`);
  const schema = pick('schema') ?? pick('inputSchema') ?? pick('parameters') ?? { type: 'object', properties: {} };
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) throw new Error(`plugin ${name}: the schema must be a JSON Schema object`);
  const type = (schema as { type?: unknown }).type;
  if (type !== undefined && type !== 'object') throw new Error(`plugin ${name}: the schema must describe an object (type "object")`);
  const description = pick('description');
  return {
    name,
    description: typeof description === 'string' && description.trim() !== '' ? description : `Plugin tool ${name}.`,
    inputSchema: { type: 'object', ...(schema as Record<string, unknown>) },
    source: 'plugin',
    file,
    handler: handler as PluginTool['handler'],
  };
}
