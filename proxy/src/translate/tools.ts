// Tool definitions in every shape clients send → Anthropic tools, in the order given (tool order is part of
// the cached prefix). Chat `{type:'function', function}`, Responses flat `{type:'function', name, parameters}`,
// Anthropic `{name, description, input_schema}`, legacy `functions`, and free-text custom tools
// (`{type:'custom', …}`, Cursor's ApplyPatch), which Claude sees as a tool taking one string, `input`.
import type { Tool, ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import { invalidRequest } from '../errors.ts';
import type { Adjustments } from './adjustments.ts';
import { isRecord } from './json-values.ts';
import { cacheControlOf } from './normalize-parts.ts';
import type { ChatRequest } from './openai-types.ts';

export interface TranslatedTools {
  tools: ToolUnion[];
  /** Names of the free-text custom tools, in declaration order. */
  customToolNames: string[];
  names: Set<string>;
}

// Tools OpenAI runs on its own servers; Claude cannot call them through this gateway.
const HOSTED_TOOL_TYPES = new Set([
  'web_search',
  'web_search_preview',
  'file_search',
  'code_interpreter',
  'image_generation',
  'computer_use_preview',
  'mcp',
  'local_shell',
]);

// Anthropic's own versioned tool types (bash_20250124, web_search_20250305, …) pass through untouched.
const ANTHROPIC_TYPED_TOOL = /^[a-z_]+_\d{8}$/;

export function translateTools(req: ChatRequest, notes: Adjustments): TranslatedTools {
  const out: TranslatedTools = { tools: [], customToolNames: [], names: new Set() };
  const add = (tool: ToolUnion, nameField: string, custom: boolean) => {
    const name = typeof (tool as { name?: unknown }).name === 'string' ? (tool as { name: string }).name : '';
    if (name !== '') {
      if (out.names.has(name)) throw invalidRequest(`Tool name '${name}' is declared twice`, nameField);
      out.names.add(name);
    }
    out.tools.push(tool);
    if (custom) out.customToolNames.push(name);
  };

  (req.tools ?? []).forEach((raw, i) => {
    const path = `tools[${i}]`;
    const tool = raw as Record<string, unknown>;
    const type = tool.type;
    if (typeof type === 'string' && HOSTED_TOOL_TYPES.has(type)) {
      notes.add(`tool ${path} of type ${type} dropped (OpenAI-hosted tools are not available)`);
      return;
    }
    if (typeof type === 'string' && ANTHROPIC_TYPED_TOOL.test(type)) {
      add(tool as unknown as ToolUnion, `${path}.name`, false);
      return;
    }
    if (type === 'function' && isRecord(tool.function)) {
      const fn = tool.function;
      add(functionTool(fn.name, fn.description, fn.parameters, tool.cache_control, `${path}.function`), `${path}.function.name`, false);
    } else if (tool.input_schema !== undefined && (type === undefined || type === 'custom' || type === 'function')) {
      add(functionTool(tool.name, tool.description, tool.input_schema, tool.cache_control, path, 'input_schema'), `${path}.name`, false);
    } else if (type === 'function') {
      add(functionTool(tool.name, tool.description, tool.parameters, tool.cache_control, path), `${path}.name`, false);
    } else if (type === 'custom') {
      const spec = isRecord(tool.custom) ? tool.custom : tool;
      const specPath = isRecord(tool.custom) ? `${path}.custom` : path;
      add(customTool(spec, tool.cache_control, specPath), `${specPath}.name`, true);
    } else {
      throw invalidRequest(`${path}.type '${String(type)}' is not a supported tool type`, `${path}.type`);
    }
  });

  (req.functions ?? []).forEach((fn, i) => {
    const path = `functions[${i}]`;
    add(functionTool(fn.name, fn.description, fn.parameters, undefined, path), `${path}.name`, false);
  });
  return out;
}

function functionTool(name: unknown, description: unknown, schema: unknown, cacheControl: unknown, path: string, schemaField = 'parameters'): Tool {
  const tool = {
    name: toolName(name, `${path}.name`),
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
    input_schema: inputSchema(schema, `${path}.${schemaField}`),
  } satisfies Tool;
  return withCache(tool, cacheControl);
}

// Anthropic's rule for client tool names ("Define tools"): letters, digits, underscore and hyphen, 1 to 128.
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

function toolName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw invalidRequest(`${path} must be a non-empty string`, path);
  if (!TOOL_NAME.test(value)) {
    const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    throw invalidRequest(`${path} ${shown} is not a valid tool name: use 1 to 128 letters, digits, '_' or '-'`, path, 'invalid_tool_name');
  }
  return value;
}

/** Anthropic requires an object schema; OpenAI lets `parameters` be omitted (no arguments) or untyped. */
function inputSchema(schema: unknown, path: string): Tool.InputSchema {
  if (schema === undefined || schema === null) return { type: 'object', properties: {} };
  if (!isRecord(schema)) throw invalidRequest(`${path} must be a JSON Schema object`, path);
  if (schema.type === 'object') return schema as Tool.InputSchema;
  if (schema.type === undefined) return { type: 'object', ...schema } as Tool.InputSchema;
  throw invalidRequest(`${path} must describe an object (type 'object')`, path);
}

/** A free-text tool: one string argument; the description says so, with the grammar when one is given. */
function customTool(spec: Record<string, unknown>, cacheControl: unknown, path: string): Tool {
  const name = toolName(spec.name, `${path}.name`);
  const lines: string[] = [];
  if (typeof spec.description === 'string' && spec.description.trim() !== '') lines.push(spec.description);
  lines.push('This tool takes raw text, not JSON arguments: put the entire text in the `input` field.');
  const grammar = grammarOf(spec.format);
  if (grammar) lines.push(`The text must follow this ${grammar.syntax} grammar:\n${grammar.definition}`);
  const tool: Tool = {
    name,
    description: lines.join('\n\n'),
    input_schema: {
      type: 'object',
      properties: { input: { type: 'string', description: `The raw text input for ${name}.` } },
      required: ['input'],
    },
  };
  return withCache(tool, cacheControl);
}

// Chat nests the grammar (`{type:'grammar', grammar:{syntax, definition}}`); the Responses API does not.
function grammarOf(format: unknown): { syntax: string; definition: string } | undefined {
  if (!isRecord(format) || format.type !== 'grammar') return undefined;
  const g = isRecord(format.grammar) ? format.grammar : format;
  if (typeof g.definition !== 'string' || g.definition.trim() === '') return undefined;
  return { syntax: typeof g.syntax === 'string' ? g.syntax : 'text', definition: g.definition };
}

function withCache(tool: Tool, cacheControl: unknown): Tool {
  const cache = cacheControlOf(cacheControl);
  if (cache) tool.cache_control = cache;
  return tool;
}
