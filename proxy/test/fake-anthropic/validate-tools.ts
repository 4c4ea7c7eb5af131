// Checks for `tools` and `tool_choice`.
//
// From "Define tools" and the API reference: a client tool has a name matching ^[a-zA-Z0-9_-]{1,128}$,
// an input_schema of type "object" and optional description; tool names are unique; Anthropic-defined
// tools are named by a versioned type such as web_search_20250305; tool_choice is auto, any, tool (with a
// name) or none, and needs tools to be present.
import { invalid } from './api-error.ts';
import { checkCacheControl } from './validate-content.ts';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const CUSTOM_TOOL_KEYS = [
  'name',
  'input_schema',
  'description',
  'cache_control',
  'type',
  'strict',
  'defer_loading',
  'input_examples',
  'eager_input_streaming',
  'allowed_callers',
];
/** Anthropic-defined tools carry a dated type; the fake accepts any such type without further checks. */
const VERSIONED_TYPE = /^[a-z_]+_\d{8}$/;
const CHOICES = ['auto', 'any', 'tool', 'none'];

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCustomTool(tool: Record<string, any>, path: string): void {
  const at = `${path}.custom`;
  for (const key of Object.keys(tool)) {
    if (!CUSTOM_TOOL_KEYS.includes(key)) throw invalid(`${at}.${key}: Extra inputs are not permitted`);
  }
  if (tool.name === undefined) throw invalid(`${at}.name: Field required`);
  if (typeof tool.name !== 'string') throw invalid(`${at}.name: Input should be a valid string`);
  if (!TOOL_NAME.test(tool.name)) throw invalid(`${at}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
  if (tool.input_schema === undefined) throw invalid(`${at}.input_schema: Field required`);
  if (!isObject(tool.input_schema)) throw invalid(`${at}.input_schema: Input should be a valid dictionary`);
  if (tool.input_schema.type !== 'object') throw invalid(`${at}.input_schema.type: Input should be 'object'`);
  if (tool.description !== undefined && typeof tool.description !== 'string') {
    throw invalid(`${at}.description: Input should be a valid string`);
  }
  checkCacheControl(tool.cache_control, at);
}

/** Returns the names of the client tools, which the default responder may call. */
export function checkTools(tools: unknown): string[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalid('tools: Input should be a valid list');
  const names: string[] = [];
  const seen = new Set<string>();
  tools.forEach((tool: unknown, i: number) => {
    const path = `tools.${i}`;
    if (!isObject(tool)) throw invalid(`${path}: Input should be a valid dictionary`);
    const custom = tool.type === undefined || tool.type === null || tool.type === 'custom';
    if (custom) {
      checkCustomTool(tool, path);
      names.push(tool.name);
    } else if (typeof tool.type !== 'string' || !(VERSIONED_TYPE.test(tool.type) || tool.type === 'mcp_toolset')) {
      throw invalid(`${path}: Input tag '${String(tool.type)}' found using 'type' does not match any of the expected tags`);
    } else {
      checkCacheControl(tool.cache_control, `${path}.${tool.type}`);
    }
    const name = typeof tool.name === 'string' ? tool.name : undefined;
    if (name !== undefined) {
      if (seen.has(name)) throw invalid('tools: Tool names must be unique.');
      seen.add(name);
    }
  });
  return names;
}

export function checkToolChoice(choice: unknown, hasTools: boolean): void {
  if (choice === undefined || choice === null) return;
  if (!isObject(choice)) throw invalid('tool_choice: Input should be a valid dictionary');
  if (!CHOICES.includes(choice.type)) {
    throw invalid(`tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`);
  }
  if (choice.type === 'tool' && typeof choice.name !== 'string') throw invalid('tool_choice.tool.name: Field required');
  if (choice.disable_parallel_tool_use !== undefined && typeof choice.disable_parallel_tool_use !== 'boolean') {
    throw invalid(`tool_choice.${choice.type}.disable_parallel_tool_use: Input should be a valid boolean`);
  }
  if (!hasTools && choice.type !== 'none') throw invalid('tool_choice may only be specified while providing tools.');
}
