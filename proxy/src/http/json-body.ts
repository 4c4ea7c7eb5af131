// The JSON body parser: JSON.parse, then one walk of the parsed objects and arrays (not of the text) that refuses a
// body nested deeper than MAX_JSON_DEPTH (every recursive walk after it would overflow the stack) and one with a
// prototype-poisoning key, each with a 400 saying which. Empty, BOM-prefixed and malformed bodies go through
// Fastify's own parser, which gives its usual answers and errors.
import type { FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH, unsafeJson } from '../edge/json-depth.ts';
import { GatewayError } from '../errors.ts';

export function installJsonBodyParser(app: FastifyInstance): void {
  const guarded = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length === 0 || text.charCodeAt(0) === 0xfeff) return void guarded(request, text, done);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return void guarded(request, text, done);
    }
    const unsafe = unsafeJson(value, MAX_JSON_DEPTH);
    if (unsafe === 'forbidden_key') {
      done(
        new GatewayError({
          status: 400,
          code: 'invalid_json',
          message: 'The JSON body has a key that could reach an object prototype (`__proto__`, or `constructor` holding `prototype`), which is refused.',
        }),
        undefined,
      );
      return;
    }
    if (unsafe === 'too_deep') {
      done(
        new GatewayError({
          status: 400,
          code: 'json_too_deep',
          message: `The JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
        }),
        undefined,
      );
      return;
    }
    done(null, value);
  });
}
