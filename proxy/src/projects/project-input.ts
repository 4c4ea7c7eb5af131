// Validation of a project body sent to POST/PUT /admin/projects: every field checked, a 400 naming the first
// bad one. Read-only fields the dashboard may send back (createdAt, keys) are ignored.
import { invalidRequest } from '../errors.ts';
import type { ProjectFields } from '../store/project-store.ts';
import { REDUCTION_SWITCHES, type ReductionSwitch } from './identity.ts';

export const PROJECT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const FIELDS = ['name', 'rateLimitRpm', 'tokensPerMinute', 'defaultModel', 'maxTokensCap', 'allowedTools', 'reduction', 'fallbackChain'] as const;
const READ_ONLY = ['createdAt', 'keys'];

export interface ProjectInput {
  id?: string;
  fields: Partial<ProjectFields>;
}

function positiveIntOrNull(value: unknown, name: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalidRequest(`${name} must be a positive integer or null`, name);
  return value;
}

function stringList(value: unknown, name: string, check?: (item: string, at: string) => void): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw invalidRequest(`${name} must be an array of strings or null`, name);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') throw invalidRequest(`${name}[${i}] must be a non-empty string`, `${name}[${i}]`);
    check?.(item.trim(), `${name}[${i}]`);
    return item.trim();
  });
}

/**
 * @param isModel says whether the gateway can serve a model name (an id or an alias), so a policy never names
 * a model every request would then fail on.
 */
export function parseProjectBody(body: unknown, mode: 'create' | 'update', isModel: (name: string) => boolean): ProjectInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  const input = body as Record<string, unknown>;
  const out: ProjectInput = { fields: {} };
  const f = out.fields;
  const model = (name: string, at: string) => {
    if (!isModel(name)) throw invalidRequest(`${at}: the gateway does not serve a model named "${name}"`, at);
  };

  for (const key of Object.keys(input)) {
    if (key === 'id' || READ_ONLY.includes(key) || (FIELDS as readonly string[]).includes(key)) continue;
    throw invalidRequest(`Unknown field "${key}". Project fields: ${FIELDS.join(', ')}.`, key);
  }
  if (input.id !== undefined && mode === 'create') {
    if (typeof input.id !== 'string' || !PROJECT_ID.test(input.id)) {
      throw invalidRequest('id must be 1 to 64 lowercase letters, digits, "-" or "_", starting with a letter or digit', 'id');
    }
    out.id = input.id;
  }
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 100) {
      throw invalidRequest('name must be a non-empty string of at most 100 characters', 'name');
    }
    f.name = input.name.trim();
  } else if (mode === 'create') {
    throw invalidRequest('name is required', 'name');
  }
  if (input.rateLimitRpm !== undefined) f.rateLimitRpm = positiveIntOrNull(input.rateLimitRpm, 'rateLimitRpm');
  if (input.tokensPerMinute !== undefined) f.tokensPerMinute = positiveIntOrNull(input.tokensPerMinute, 'tokensPerMinute');
  if (input.maxTokensCap !== undefined) f.maxTokensCap = positiveIntOrNull(input.maxTokensCap, 'maxTokensCap');
  if (input.defaultModel !== undefined) {
    if (input.defaultModel !== null && (typeof input.defaultModel !== 'string' || input.defaultModel.trim() === '')) {
      throw invalidRequest('defaultModel must be a model name or null', 'defaultModel');
    }
    if (typeof input.defaultModel === 'string') model(input.defaultModel.trim(), 'defaultModel');
    f.defaultModel = typeof input.defaultModel === 'string' ? input.defaultModel.trim() : null;
  }
  if (input.allowedTools !== undefined) f.allowedTools = stringList(input.allowedTools, 'allowedTools');
  if (input.fallbackChain !== undefined) f.fallbackChain = stringList(input.fallbackChain, 'fallbackChain', model);
  if (input.reduction !== undefined) f.reduction = reductionSwitches(input.reduction);
  return out;
}

function reductionSwitches(value: unknown): Partial<Record<ReductionSwitch, boolean>> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('reduction must be an object of layer switches', 'reduction');
  const out: Partial<Record<ReductionSwitch, boolean>> = {};
  for (const [layer, on] of Object.entries(value as Record<string, unknown>)) {
    if (!(REDUCTION_SWITCHES as readonly string[]).includes(layer)) {
      throw invalidRequest(`reduction.${layer} is not a reduction layer (${REDUCTION_SWITCHES.join(', ')})`, `reduction.${layer}`);
    }
    if (typeof on !== 'boolean') throw invalidRequest(`reduction.${layer} must be true or false`, `reduction.${layer}`);
    out[layer as ReductionSwitch] = on;
  }
  return out;
}
