// tool_choice (Chat, Responses, Anthropic and legacy `function_call` spellings) → Anthropic tool_choice.
// auto → auto, none → none, required → any, a named function or custom tool → tool; parallel_tool_calls:false
// → disable_parallel_tool_use. Forcing a tool is not allowed while Claude thinks; it is relaxed to auto.
import type { ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import { invalidRequest } from '../errors.ts';
import type { Adjustments } from './adjustments.ts';
import { given, isRecord } from './json-values.ts';
import { usesLegacyFunctions } from './legacy-functions.ts';
import type { ChatRequest } from './openai-types.ts';

export interface ToolChoiceContext {
  toolNames: ReadonlySet<string>;
  /** Thinking will be on for this request: any/tool choices are rejected then. */
  thinking: boolean;
  modelId: string;
  notes: Adjustments;
}

type Choice = { type: 'auto' | 'any' | 'none' } | { type: 'tool'; name: string };

export function translateToolChoice(req: ChatRequest, ctx: ToolChoiceContext): ToolChoice | undefined {
  const field = given(req.tool_choice) ? 'tool_choice' : 'function_call';
  const raw = given(req.tool_choice) ? req.tool_choice : req.function_call;
  if (ctx.toolNames.size === 0) {
    if (given(raw) && !(raw === 'none' || raw === 'auto')) ctx.notes.add(`${field} ignored (the request declares no tools)`);
    return undefined;
  }

  let choice = given(raw) ? readChoice(raw, field, ctx.notes) : undefined;
  if (choice?.type === 'tool' && !ctx.toolNames.has(choice.name)) {
    throw invalidRequest(`${field} names '${choice.name}', which is not among the declared tools`, field);
  }
  if (ctx.thinking && (choice?.type === 'any' || choice?.type === 'tool')) {
    const asked = choice.type === 'tool' ? `tool ${choice.name}` : 'a tool call';
    ctx.notes.add(`${field} forcing ${asked} relaxed to auto (${ctx.modelId} cannot force a tool while thinking)`);
    choice = { type: 'auto' };
  }

  // The legacy `functions` API returns one call per turn.
  const disableParallel =
    req.parallel_tool_calls === false || (isRecord(raw) && raw.disable_parallel_tool_use === true) || usesLegacyFunctions(req);
  if (!choice) return disableParallel ? { type: 'auto', disable_parallel_tool_use: true } : undefined;
  if (choice.type === 'none') return { type: 'none' };
  if (disableParallel) return { ...choice, disable_parallel_tool_use: true };
  return choice;
}

function readChoice(raw: unknown, field: string, notes: Adjustments): Choice {
  if (raw === 'auto' || raw === 'none') return { type: raw };
  if (raw === 'required' || raw === 'any') return { type: 'any' };
  if (isRecord(raw)) {
    const named = nameOf(raw);
    if (named) return { type: 'tool', name: named };
    if (raw.type === 'auto' || raw.type === 'none' || raw.type === 'any') return { type: raw.type };
    if (raw.type === 'allowed_tools') {
      // Anthropic has no allowed-subset choice; the mode is kept, the subset is not enforced.
      notes.add(`${field} allowed_tools subset not enforced (only its mode is applied)`);
      const mode = isRecord(raw.allowed_tools) ? raw.allowed_tools.mode : raw.mode;
      return { type: mode === 'required' ? 'any' : 'auto' };
    }
  }
  throw invalidRequest(`${field} must be 'auto', 'none', 'required' or name a tool`, field);
}

// {type:'function', function:{name}} (Chat), {type:'function'|'custom', name} (Responses),
// {type:'custom', custom:{name}}, {type:'tool', name} (Anthropic), {name} (legacy function_call).
function nameOf(raw: Record<string, unknown>): string | undefined {
  for (const candidate of [raw.function, raw.custom, raw]) {
    if (isRecord(candidate) && typeof candidate.name === 'string' && candidate.name !== '') return candidate.name;
  }
  return undefined;
}
