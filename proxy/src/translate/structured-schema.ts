// JSON Schemas for Anthropic structured outputs, which accept a subset of JSON Schema: every object closed with
// `additionalProperties: false`; no numeric bounds, string lengths, maxItems, minItems above 1 or property
// counts; string `format` only from a fixed list. Unsupported constraints are not lost: they are written into the
// property's description, where the model still reads them.
import { isRecord } from './json-values.ts';

const DROPPED_KEYWORDS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
  'minProperties',
  'maxProperties',
  'uniqueItems',
] as const;

const STRING_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

const SCHEMA_MAPS = ['properties', '$defs', 'definitions'] as const;
const SCHEMA_LISTS = ['anyOf', 'allOf', 'oneOf', 'prefixItems'] as const;

export interface AdaptedSchema {
  schema: Record<string, unknown>;
  /** Keywords moved into descriptions, and whether objects had to be closed. */
  changes: string[];
}

export function adaptSchema(schema: Record<string, unknown>): AdaptedSchema {
  const changes = new Set<string>();
  const adapted = adaptNode(schema, changes);
  return { schema: adapted, changes: [...changes].sort() };
}

function adaptNode(node: Record<string, unknown>, changes: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const moved: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if ((DROPPED_KEYWORDS as readonly string[]).includes(key) || (key === 'minItems' && typeof value === 'number' && value > 1)) {
      moved.push(`${key}: ${JSON.stringify(value)}`);
      changes.add(key);
    } else if (key === 'format' && typeof value === 'string' && !STRING_FORMATS.has(value)) {
      moved.push(`format: ${JSON.stringify(value)}`);
      changes.add('format');
    } else if ((SCHEMA_MAPS as readonly string[]).includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isRecord(v) ? adaptNode(v, changes) : v]));
    } else if ((SCHEMA_LISTS as readonly string[]).includes(key) && Array.isArray(value)) {
      // oneOf is not in the subset; anyOf is the closest (the official SDK helpers do the same).
      if (key === 'oneOf') changes.add('oneOf');
      out[key === 'oneOf' ? 'anyOf' : key] = value.map((v) => (isRecord(v) ? adaptNode(v, changes) : v));
    } else if ((key === 'items' || key === 'not' || key === 'additionalProperties') && isRecord(value)) {
      out[key] = adaptNode(value, changes);
    } else {
      out[key] = value;
    }
  }
  const isObject = node.type === 'object' || (node.type === undefined && isRecord(node.properties));
  if (isObject && out.additionalProperties !== false) {
    out.additionalProperties = false;
    changes.add('additionalProperties');
  }
  if (moved.length > 0) {
    const note = `{${moved.join(', ')}}`;
    out.description = typeof out.description === 'string' && out.description !== '' ? `${out.description}\n\n${note}` : note;
  }
  return out;
}
