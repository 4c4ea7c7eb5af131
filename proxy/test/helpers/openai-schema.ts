// Validates gateway output against OpenAI's published OpenAPI spec (../shared/spec/openai-openapi.yaml beside
// the checkout). The spec is large, so it is parsed once per process; validators compile only what they reach.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export interface OpenAISchemas {
  /** Problems found in a `chat.completion`, as readable strings; empty when it conforms. */
  validateCompletion(value: unknown): string[];
  /** Problems found in a `chat.completion.chunk`; empty when it conforms. */
  validateChunk(value: unknown): string[];
  /** Problems found against any named schema of the spec (`Response`, `TokenCountsResource`, …). */
  validate(schema: string, value: unknown): string[];
  /** Problems found against the member of a union (e.g. `ResponseStreamEvent`) whose `type` matches the value's. */
  validateVariant(union: string, value: unknown): string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const OPENAI_SPEC_PATH = path.resolve(repoRoot, '..', 'shared', 'spec', 'openai-openapi.yaml');

const SPEC_ID = 'https://openai.spec/openapi.json';
let cached: OpenAISchemas | null | undefined;

/** Null when the spec file is absent (a fresh clone); callers skip and say so. */
export function loadOpenAISchemas(): OpenAISchemas | null {
  if (cached !== undefined) return cached;
  if (!existsSync(OPENAI_SPEC_PATH)) return (cached = null);

  const spec = parse(readFileSync(OPENAI_SPEC_PATH, 'utf8')) as { components: Record<string, unknown> };
  // `nullable` is rewritten below; discriminator and x-* keywords are not JSON Schema, so strict:false ignores them.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: false });
  addFormats.default(ajv); // CommonJS default export, reached the same way by tsc and Node
  ajv.addFormat('unixtime', true);
  ajv.addSchema({ $id: SPEC_ID, components: withoutNullable(spec.components) });

  const validator = (name: string) => {
    let compiled: ValidateFunction | undefined;
    return (value: unknown): string[] => {
      compiled ??= ajv.getSchema(`${SPEC_ID}#/components/schemas/${name}`);
      if (!compiled) throw new Error(`schema ${name} not found in ${OPENAI_SPEC_PATH}`);
      return compiled(value) ? [] : describe(compiled.errors ?? []);
    };
  };
  const named = new Map<string, (value: unknown) => string[]>();
  const validate = (schema: string, value: unknown) => {
    let check = named.get(schema);
    if (!check) named.set(schema, (check = validator(schema)));
    return check(value);
  };
  const schemas = spec.components.schemas as Record<string, { anyOf?: Array<{ $ref?: string }>; oneOf?: Array<{ $ref?: string }> }>;
  cached = {
    validateCompletion: validator('CreateChatCompletionResponse'),
    validateChunk: validator('CreateChatCompletionStreamResponse'),
    validate,
    validateVariant(union, value) {
      const type = (value as { type?: unknown } | null)?.type;
      const member = variantFor(schemas, union, type);
      return member ? validate(member, value) : [`/type ${JSON.stringify(type)} is not a member of ${union}`];
    },
  };
  return cached;
}

/** The name of the union member whose `type` property is the given constant. */
function variantFor(schemas: Record<string, { anyOf?: Array<{ $ref?: string }>; oneOf?: Array<{ $ref?: string }> }>, union: string, type: unknown): string | undefined {
  const members = schemas[union]?.anyOf ?? schemas[union]?.oneOf ?? [];
  for (const member of members) {
    const name = member.$ref?.split('/').pop();
    const typeSchema = (schemas[name ?? ''] as { properties?: { type?: { enum?: unknown[] } } } | undefined)?.properties?.type;
    if (name && typeSchema?.enum?.includes(type)) return name;
  }
  return undefined;
}

/** OpenAPI 3.0's `nullable: true` → JSON Schema's null type, which Ajv understands beside `$ref` too. */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' && typeof value === 'boolean') continue;
    out[key] = withoutNullable(value);
  }
  if ((node as { nullable?: unknown }).nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function describe(errors: ErrorObject[]): string[] {
  return errors.map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
}
