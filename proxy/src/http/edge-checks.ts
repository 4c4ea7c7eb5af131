// Checks at the edge of the OpenAI routes, before any route reads the body: message counts are bounded
// (edge/body-limits.ts) and inline images validated, their declared types corrected (edge/body-images.ts). The Anthropic pass-through relays Anthropic's own answer
// and is left alone.
import type { FastifyInstance } from 'fastify';
import { checkBodyCounts } from '../edge/body-limits.ts';
import { checkBodyImages } from '../edge/body-images.ts';

export function installEdgeChecks(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.method !== 'POST' || request.routeOptions.config?.errorShape === 'anthropic') return done();
    try {
      checkBodyCounts(request.body);
      const notes = checkBodyImages(request.body);
      if (notes.length > 0) request.record.edgeNotes = notes;
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
