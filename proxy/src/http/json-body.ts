// The JSON body parser: a nesting-depth check first, so a body nested thousands of levels deep is a 400 before
// any recursive code sees it, then JSON.parse. Prototype-poisoning protection stays Fastify's: a body that could
// spell a `__proto__` or `constructor` key (literally or with \u escapes) goes through Fastify's own parser,
// which refuses it; every other body (nearly all) skips that parser's regular-expression scans of the whole text.
import type { FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../edge/json-depth.ts';
import { GatewayError } from '../errors.ts';

// The literal keys, or any \u00XX escape (which could spell them): one regular expression scans a few times
// faster than three substring searches.
const SUSPECT = /\\u00|"(?:__proto__|constructor)"/;

/** False only when no key of the text can be `__proto__` or `constructor`, however it is escaped. */
export function mayPoisonPrototypes(text: string): boolean {
  return SUSPECT.test(text);
}

export function installJsonBodyParser(app: FastifyInstance): void {
  const guarded = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
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
    // Empty, BOM-prefixed, malformed or suspect bodies: Fastify's parser gives its own answer and errors.
    if (text.length === 0 || text.charCodeAt(0) === 0xfeff || mayPoisonPrototypes(text)) return void guarded(request, text, done);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return void guarded(request, text, done);
    }
    done(null, value);
  });
}
