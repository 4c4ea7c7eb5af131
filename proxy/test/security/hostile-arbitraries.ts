// Generators of hostile and careless requests for every public route: bodies shaped like real OpenAI and
// Anthropic requests with every field bent (types, sizes, nesting, Unicode, data URLs, tool pairing), raw bodies
// that are not JSON at all, odd methods and paths, and headers clients should never send.
import fc from 'fast-check';
import { IMAGES } from '../edge/images.ts';

export interface HostileRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Raw body text (already serialized, possibly not JSON). */
  payload?: string;
}

const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-sonnet-5-5', 'claude-opus-4-6', 'sonnet', 'opus', 'haiku', 'cg-sonnet', 'gpt-4o'];

/** Strings a careless or hostile client sends: empty, whitespace, control bytes, lone surrogates, emoji, long. */
export const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '\u0000', '\ud800', 'a\u0000b', '\u202e', '💥'.repeat(3), '__proto__', 'constructor') },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 5000 }).map((n) => 'x'.repeat(n)) },
);

const nastyNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 2, 3, 1e308, -1e308, 4096, 1_000_000_000, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, a little of everything. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: nastyNumber },
);

const someOf = <T>(arb: fc.Arbitrary<T>, weight = 1) => fc.option(arb, { nil: undefined, freq: weight });

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
const dataUrl = fc.oneof(
  fc.constantFrom(...Object.entries(IMAGES).map(([type, data]) => `data:${type};base64,${data}`)),
  fc.tuple(fc.constantFrom(...Object.keys(IMAGES), 'image/bmp', 'text/plain', ''), fc.constantFrom(...Object.values(IMAGES))).map(([t, d]) => `data:${t};base64,${d}`),
  fc.constantFrom('data:image/png;base64,', 'data:image/png;base64,@@@@', 'data:image/png;base64,QUJD', `data:image/gif;base64,${b64('not an image')}`, 'data:,', 'data:image/png,%ZZ'),
  fc.constantFrom('https://example.com/cat.png', 'ftp://x', 'javascript:alert(1)', ''),
  nastyString,
);

const textPart = fc.record({ type: fc.constantFrom('text', 'input_text', 'output_text'), text: nastyString });
const imagePart = fc.oneof(
  fc.record({ type: fc.constant('image_url'), image_url: fc.oneof(fc.record({ url: dataUrl, detail: someOf(nastyString) }), dataUrl) }),
  fc.record({ type: fc.constant('input_image'), image_url: dataUrl }),
  fc.record({
    type: fc.constant('image'),
    source: fc.record({ type: fc.constantFrom('base64', 'url', 'file', 'nope'), media_type: fc.constantFrom('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'), data: fc.oneof(fc.constantFrom(...Object.values(IMAGES)), nastyString) }),
  }),
);
const toolId = fc.oneof(fc.constantFrom('call_1', 'call_2', 'toolu_1'), nastyString);
const toolResultPart = fc.record({ type: fc.constant('tool_result'), tool_use_id: toolId, content: fc.oneof(nastyString, fc.array(fc.oneof(textPart, imagePart), { maxLength: 2 })) });
const toolUsePart = fc.record({ type: fc.constant('tool_use'), id: toolId, name: nastyString, input: anyJson });
const part = fc.oneof({ weight: 4, arbitrary: textPart }, { weight: 3, arbitrary: imagePart }, { weight: 1, arbitrary: toolResultPart }, { weight: 1, arbitrary: toolUsePart }, { weight: 1, arbitrary: anyJson });
const content = fc.oneof({ weight: 4, arbitrary: nastyString }, { weight: 4, arbitrary: fc.array(part, { maxLength: 4 }) }, { weight: 1, arbitrary: anyJson });

const toolCall = fc.record(
  {
    id: toolId,
    type: fc.constantFrom('function', 'custom', 'x'),
    function: fc.record({ name: fc.oneof(fc.constantFrom('read_file', 'run'), nastyString), arguments: fc.oneof(fc.json({ maxDepth: 3 }), nastyString, fc.integer({ min: 200, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n))) }),
  },
  { requiredKeys: ['id'] },
);

const message = fc.record(
  {
    role: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('user', 'assistant', 'system', 'tool', 'developer') }, { weight: 1, arbitrary: fc.constantFrom('function', 'model', '', 'USER') }, { weight: 1, arbitrary: nastyString }),
    content,
    tool_calls: fc.array(toolCall, { maxLength: 3 }),
    tool_call_id: toolId,
    name: nastyString,
  },
  { requiredKeys: ['role'] },
);

const toolName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('read_file', 'run', 'search-code') }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: fc.constant('n'.repeat(200)) });
const schema = fc.oneof(fc.constant({ type: 'object', properties: { path: { type: 'string' } } }), fc.constant(undefined), anyJson);
const tool = fc.oneof(
  fc.record({ type: fc.constant('function'), function: fc.record({ name: toolName, description: someOf(nastyString), parameters: schema }, { requiredKeys: ['name'] }) }),
  fc.record({ type: fc.constant('function'), name: toolName, parameters: schema }),
  fc.record({ name: toolName, input_schema: schema }),
  fc.record({ type: fc.constant('custom'), custom: fc.record({ name: toolName }) }),
  anyJson,
);

/** A Chat Completions body with every field possibly bent. */
export const chatBody = fc.record(
  {
    model: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...MODELS) }, { weight: 1, arbitrary: nastyString }, { weight: 1, arbitrary: anyJson }),
    messages: fc.oneof({ weight: 8, arbitrary: fc.array(message, { minLength: 1, maxLength: 5 }) }, { weight: 1, arbitrary: anyJson }),
    tools: fc.oneof(fc.array(tool, { maxLength: 3 }), anyJson),
    tool_choice: fc.oneof(fc.constantFrom('auto', 'none', 'required', 'any'), fc.record({ type: fc.constant('function'), function: fc.record({ name: toolName }) }), anyJson),
    stream: fc.oneof(fc.boolean(), anyJson),
    stream_options: fc.oneof(fc.record({ include_usage: fc.boolean() }), anyJson),
    max_tokens: fc.oneof(fc.integer({ min: 1, max: 2048 }), nastyNumber, anyJson),
    temperature: fc.oneof(nastyNumber, anyJson),
    top_p: fc.oneof(fc.constantFrom(0, 0.5, 1, 1.5, -0.1), anyJson),
    top_k: fc.oneof(nastyNumber, anyJson),
    stop: fc.oneof(fc.array(nastyString, { maxLength: 5 }), nastyString, anyJson),
    user: nastyString,
    metadata: anyJson,
    response_format: fc.oneof(fc.record({ type: fc.constantFrom('json_object', 'json_schema', 'text', 'x'), json_schema: fc.record({ name: nastyString, schema: anyJson }) }), anyJson),
    reasoning_effort: fc.oneof(fc.constantFrom('low', 'medium', 'high', 'minimal', 'max'), anyJson),
    n: fc.oneof(fc.constantFrom(1, 2), anyJson),
  },
  { requiredKeys: [] },
);

/** Near-valid Chat bodies: real conversations with one or two fields bent, so many reach the upstream. */
const goodText = fc.constantFrom('hello', 'fix the bug in main.ts', 'x'.repeat(300), 'ünïcödé 💥 text', '  padded  ');
const goodImage = fc.constantFrom(...Object.values(IMAGES)).chain((data) =>
  fc.constantFrom(...Object.keys(IMAGES), 'image/jpg').map((type) => ({ type: 'image_url', image_url: { url: `data:${type};base64,${data}` } })),
);
const userTurn = fc.oneof(
  goodText.map((text) => ({ role: 'user', content: text })),
  fc.tuple(goodText, goodImage).map(([text, image]) => ({ role: 'user', content: [{ type: 'text', text }, image] })),
  fc.tuple(goodText, imagePart).map(([text, image]) => ({ role: 'user', content: [{ type: 'text', text }, image] })),
);
const toolRound = fc.tuple(fc.constantFrom('read_file', 'run'), fc.oneof(fc.json({ maxDepth: 2 }), nastyString), fc.oneof(goodText, nastyString), fc.constantFrom('call_1', 'call_a-b', 'call.with.dots', 'x'.repeat(300))).map(([name, args, result, id]) => [
  { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: args } }] },
  { role: 'tool', tool_call_id: id, content: result },
]);
const goodTools = fc.constant([
  { type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
  { type: 'function', function: { name: 'run' } },
]);
export const plausibleChatBody = fc
  .record(
    {
      model: fc.constantFrom(...MODELS),
      system: fc.option(goodText, { nil: undefined }),
      first: userTurn,
      rounds: fc.array(toolRound, { maxLength: 2 }),
      last: fc.option(userTurn, { nil: undefined }),
      tools: fc.oneof(goodTools, fc.array(tool, { maxLength: 2 })),
      stream: fc.boolean(),
      bent: fc.dictionary(fc.constantFrom('top_p', 'temperature', 'max_tokens', 'user', 'stop', 'reasoning_effort', 'tool_choice', 'n', 'metadata', 'response_format'), anyJson, { maxKeys: 2 }),
      edge: fc.record({ top_p: fc.constantFrom(0, 0.3, 1), user: fc.constantFrom('u', 'u'.repeat(300)), temperature: fc.constantFrom(0, 0.7, 1.5, 2) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['model', 'first', 'rounds', 'tools', 'stream', 'bent', 'edge'] },
  )
  .map(({ system, first, rounds, last, bent, edge, ...rest }) => ({
    model: rest.model,
    messages: [...(system ? [{ role: 'system', content: system }] : []), first, ...rounds.flat(), ...(last ? [last] : [])],
    tools: rest.tools,
    stream: rest.stream,
    max_tokens: 256,
    ...edge,
    ...bent,
  }));

/** An Anthropic Messages body, for the pass-through (which relays Anthropic's own answer). */
export const messagesBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODELS), nastyString),
    max_tokens: fc.oneof(fc.integer({ min: 1, max: 1024 }), nastyNumber),
    messages: fc.oneof(fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content }), { minLength: 1, maxLength: 3 }), anyJson),
    system: fc.oneof(nastyString, anyJson),
    stream: fc.boolean(),
    tools: fc.array(fc.record({ name: toolName, input_schema: schema }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** Serialized JSON, or something that only looks like it. */
function rawVariants(body: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: body.map((b) => JSON.stringify(b) ?? 'null') },
    { weight: 1, arbitrary: fc.tuple(body, fc.nat()).map(([b, cut]) => { const s = JSON.stringify(b) ?? ''; return s.slice(0, cut % (s.length + 1)); }) },
    { weight: 1, arbitrary: fc.integer({ min: 130, max: 30_000 }).map((n) => `{"model":"sonnet","messages":${'['.repeat(n)}${']'.repeat(n)}}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"text"', '{', '{"a":1,}', '\u0000', '{"model":"sonnet","messages":[{"role":"user","content":"\ud800"}]}') },
  );
}

/** Lone surrogates cannot be percent-encoded; they become '?' in paths. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => (/[\ud800-\udbff][\udc00-\udfff]/.test(all.slice(i, i + 2)) || /[\ud800-\udbff][\udc00-\udfff]/.test(all.slice(i - 1, i + 1)) ? c : '?'));

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

export function hostileRequest(keys: { gateway: string; admin: string }): fc.Arbitrary<HostileRequest> {
  const json = { 'content-type': 'application/json' };
  const key = fc.oneof({ weight: 12, arbitrary: fc.constant(keys.gateway) }, { weight: 1, arbitrary: fc.constantFrom(keys.admin, 'wrong-key-0123456789', 'cgp_' + 'a'.repeat(32), '') });
  const chatPaths = fc.constantFrom('/v1/chat/completions', '/chat/completions');
  return fc.oneof(
    { weight: 7, arbitrary: fc.record({ method: fc.constant('POST'), url: chatPaths, headers: key.map((k) => ({ ...json, ...auth(k) })), payload: rawVariants(chatBody) }) },
    { weight: 9, arbitrary: fc.record({ method: fc.constant('POST'), url: chatPaths, headers: fc.constant({ ...json, ...auth(keys.gateway) }), payload: plausibleChatBody.map((b) => JSON.stringify(b)) }) },
    { weight: 2, arbitrary: fc.record({ method: fc.constant('POST'), url: fc.constantFrom('/v1/messages', '/v1/messages/count_tokens'), headers: key.map((k) => ({ ...json, 'x-api-key': k })), payload: rawVariants(messagesBody) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        url: fc.oneof(
          fc.constantFrom('/health', '/v1/models', '/models', '/v1/models/claude-sonnet-4-5', '/admin/usage', '/admin/requests', '/admin/projects', '/admin/prices', '/admin/settings', '/v1/batches', '/v1/files'),
          nastyString.map((s) => `/v1/models/${encodeURIComponent(wellFormed(s))}`),
          nastyString.map((s) => `/v1/${encodeURIComponent(wellFormed(s))}`),
          fc.constantFrom('/v1/models/%E0%A4%A', '/v1/%', `/v1/models/${'m'.repeat(3000)}`, '/admin/usage?from=zzz&limit=-5', '/admin/requests?limit=99999999999'),
        ),
        headers: key.map((k) => ({ ...json, ...auth(k) })),
        payload: someOf(rawVariants(anyJson)),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        method: fc.constant('POST'),
        url: chatPaths,
        headers: fc.constantFrom<Record<string, string>>(
          { 'content-type': 'text/plain', ...auth(keys.gateway) },
          { 'content-type': 'application/x-www-form-urlencoded', ...auth(keys.gateway) },
          { 'content-type': 'application/json', authorization: 'Basic abc' },
          { 'content-type': 'application/json', authorization: `Bearer ${keys.gateway}`, 'x-request-id': 'r'.repeat(500) },
          { 'content-type': 'application/json', authorization: `Bearer ${keys.gateway}`, host: 'evil.example' },
        ),
        payload: rawVariants(chatBody),
      }),
    },
  );
}
