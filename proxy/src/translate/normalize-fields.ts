// Type and range checks for the scalar request fields: a wrong value is the client's error (400 naming the
// field), never something to guess around.
import { invalidRequest } from '../errors.ts';
import type { ChatRequest } from './openai-types.ts';
import { given, isRecord } from './json-values.ts';

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export function numberIn(value: unknown, field: string, min: number, max: number): number | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidRequest(`${field} must be a number between ${min} and ${max}`, field);
  }
  return value;
}

export function positiveInteger(value: unknown, field: string): number | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidRequest(`${field} must be a positive integer`, field);
  }
  return value;
}

export function booleanField(value: unknown, field: string): boolean | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${field} must be a boolean`, field);
  return value;
}

export function stopField(value: unknown): string | string[] | undefined {
  if (!given(value)) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  throw invalidRequest('stop must be a string or an array of strings', 'stop');
}

export function nField(value: unknown): number | undefined {
  const n = positiveInteger(value, 'n');
  if (n !== undefined && n > 1) throw invalidRequest('n > 1 is not supported', 'n');
  return n;
}

export function effortField(value: unknown, field: string): ReasoningEffort | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'string' || !(REASONING_EFFORTS as readonly string[]).includes(value)) {
    throw invalidRequest(`${field} must be one of ${REASONING_EFFORTS.join(', ')}`, field);
  }
  return value as ReasoningEffort;
}

export function reasoningField(value: unknown): ChatRequest['reasoning'] {
  if (!given(value)) return undefined;
  if (!isRecord(value)) throw invalidRequest('reasoning must be an object', 'reasoning');
  const out: NonNullable<ChatRequest['reasoning']> = {};
  const effort = effortField(value.effort, 'reasoning.effort');
  if (effort) out.effort = effort;
  const maxTokens = positiveInteger(value.max_tokens, 'reasoning.max_tokens');
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  const enabled = booleanField(value.enabled, 'reasoning.enabled');
  if (enabled !== undefined) out.enabled = enabled;
  return out;
}

export function thinkingField(value: unknown): ChatRequest['thinking'] {
  if (!given(value)) return undefined;
  if (!isRecord(value) || typeof value.type !== 'string') {
    throw invalidRequest("thinking must be an object with a 'type'", 'thinking');
  }
  if (value.type === 'enabled') {
    const budget = positiveInteger(value.budget_tokens, 'thinking.budget_tokens');
    if (budget === undefined) throw invalidRequest('thinking.budget_tokens is required when thinking is enabled', 'thinking.budget_tokens');
    return { type: 'enabled', budget_tokens: budget };
  }
  if (value.type === 'adaptive' || value.type === 'disabled') return { type: value.type };
  throw invalidRequest(`thinking.type '${value.type}' is not one of enabled, adaptive, disabled`, 'thinking.type');
}

/** Chat's `response_format`, or the Responses API's `text.format` in the same shape. */
export function responseFormatField(body: Record<string, unknown>): ChatRequest['response_format'] {
  if (given(body.response_format)) return formatOf(body.response_format, 'response_format');
  if (isRecord(body.text) && given(body.text.format)) return formatOf(body.text.format, 'text.format');
  return undefined;
}

function formatOf(value: unknown, field: string): ChatRequest['response_format'] {
  if (!isRecord(value) || typeof value.type !== 'string') throw invalidRequest(`${field} must be an object with a 'type'`, field);
  if (value.type === 'text' || value.type === 'json_object') return { type: value.type };
  if (value.type !== 'json_schema') {
    throw invalidRequest(`${field}.type '${value.type}' is not one of text, json_object, json_schema`, `${field}.type`);
  }
  // Chat nests the schema under `json_schema`; the Responses API puts name and schema on the format itself.
  const spec = isRecord(value.json_schema) ? value.json_schema : value;
  const specField = isRecord(value.json_schema) ? `${field}.json_schema` : field;
  const out: NonNullable<NonNullable<ChatRequest['response_format']>['json_schema']> = {};
  if (typeof spec.name === 'string') out.name = spec.name;
  if (given(spec.schema)) {
    if (!isRecord(spec.schema)) throw invalidRequest(`${specField}.schema must be an object`, `${specField}.schema`);
    out.schema = spec.schema;
  }
  if (typeof spec.strict === 'boolean') out.strict = spec.strict;
  return { type: 'json_schema', json_schema: out };
}
