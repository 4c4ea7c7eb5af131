// A route's JSON schema refuses bad input before its handler runs. The refusal becomes the same 400 a hand check
// gives: an invalid_request_error whose param names the parameter or field and whose message says what is wrong.
import type { FastifyError, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { invalidRequest, type GatewayError } from '../errors.ts';
import { PATTERN_DESCRIPTIONS } from './schemas/query-fields.ts';

/** Values are quoted back up to this length; the rest is cut. */
const MAX_QUOTED = 100;

/** Which part of the request a schema refused: querystring, params, body or headers. */
export type SchemaPart = NonNullable<FastifyError['validationContext']>;

const PART_NAMES: Record<SchemaPart, string> = {
  querystring: 'The query string',
  params: 'The URL path',
  body: 'The request body',
  headers: 'The request headers',
};

/** The part of the request the schema checked, as validation left it (numbers coerced, defaults filled in). */
export function validatedPart(request: Pick<FastifyRequest, 'query' | 'params' | 'body' | 'headers'>, part: SchemaPart | undefined): unknown {
  switch (part) {
    case 'querystring':
      return request.query;
    case 'params':
      return request.params;
    case 'body':
      return request.body;
    case 'headers':
      return request.headers;
    case undefined:
      return undefined;
  }
}

export function validationError(issue: FastifySchemaValidationError, part: SchemaPart | undefined, input: unknown): GatewayError {
  const path = pathOf(issue.instancePath);
  const child = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof child === 'string') path.push(child);
  const name = path.length > 0 ? paramName(path) : null;
  const subject = name ?? (part ? PART_NAMES[part] : 'The request');
  const value = valueAt(input, pathOf(issue.instancePath));
  return invalidRequest(messageFor(issue, subject, value, part), name);
}

function messageFor(issue: FastifySchemaValidationError, subject: string, value: unknown, part: SchemaPart | undefined): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'type':
      // Ajv turns a single value into the one expected, but not two: a parameter given twice arrives as a list.
      if (Array.isArray(value) && p.type !== 'array' && part === 'querystring') return `${subject} must be given once`;
      return `${subject} must be ${article(String(p.type))}${got(value)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${subject} must be ${String(p.comparison)} ${String(p.limit)}${got(value)}`;
    case 'enum':
      return `${subject} must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}${got(value)}`;
    case 'pattern':
      return `${subject} must be ${PATTERN_DESCRIPTIONS[String(p.pattern)] ?? `text matching ${String(p.pattern)}`}${got(value)}`;
    case 'maxLength':
      return `${subject} must be at most ${String(p.limit)} characters long`;
    case 'minLength':
      return p.limit === 1 ? `${subject} must not be empty` : `${subject} must be at least ${String(p.limit)} characters long`;
    case 'maxItems':
      return `${subject} may be given at most ${String(p.limit)} times`;
    case 'required':
      return `${subject} is required`;
    case 'additionalProperties':
      return `${subject} is not a known ${part === 'body' ? 'field' : 'parameter'}`;
    default:
      return `${subject} ${issue.message ?? 'is not valid'}`;
  }
}

/** Ajv's instance path ("/data/0/model", "~1" for "/" and "~0" for "~") as its segments. */
function pathOf(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Segments as the gateway names fields elsewhere: `data[0].model`. */
function paramName(path: readonly string[]): string {
  return path.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Ajv names the expected type, or several joined by commas: "integer,null" → "an integer or null". */
function article(types: string): string {
  return types
    .split(',')
    .map((type) => (type === 'null' ? type : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`))
    .join(' or ');
}

function got(value: unknown): string {
  if (typeof value === 'string') return `, got "${value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}...` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `, got ${String(value)}`;
  return '';
}
