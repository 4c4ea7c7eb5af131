// Checks at the edge of the OpenAI routes, before any route reads the body: inline images are validated and
// their declared types corrected (edge/body-images.ts). The Anthropic pass-through relays Anthropic's own answer
// and is left alone.
import type { FastifyInstance } from 'fastify';
import { checkBodyImages } from '../edge/body-images.ts';

export function installEdgeChecks(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.method !== 'POST' || request.routeOptions.config?.errorShape === 'anthropic') return done();
    try {
      const notes = checkBodyImages(request.body);
      if (notes.length > 0) request.record.edgeNotes = notes;
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
