// The JSON body parser: Fastify's own (prototype-poisoning protection included) behind a nesting-depth check,
// so a body nested thousands of levels deep is a 400 before any recursive code sees it.
import type { FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../edge/json-depth.ts';
import { GatewayError } from '../errors.ts';

export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
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
    void parse(request, text, done);
  });
}
