// The last word on every response head: notes raised at the edge join X-Gateway-Adjustments, and every header
// value is bounded and sanitised (see edge/header-value.ts), whichever route or hook set it.
import type { FastifyInstance } from 'fastify';
import { MAX_NOTES_HEADER, boundedHeaderValue, boundedNotes } from '../edge/header-value.ts';

const NOTES_HEADER = 'x-gateway-adjustments';

export function installHeaderPolicy(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const edgeNotes = request.record?.edgeNotes;
    if (edgeNotes && edgeNotes.length > 0) {
      const existing = reply.getHeader(NOTES_HEADER);
      const later = typeof existing === 'string' && existing !== '' ? existing.split('; ') : [];
      request.record.adjustments = [...edgeNotes, ...(request.record.adjustments ?? [])];
      reply.header(NOTES_HEADER, boundedNotes([...edgeNotes, ...later]));
    }
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (typeof value === 'string') {
        const bounded = name === NOTES_HEADER ? boundedNotes(value.split('; '), MAX_NOTES_HEADER) : boundedHeaderValue(value);
        if (bounded !== value) reply.header(name, bounded);
      } else if (Array.isArray(value)) {
        reply.header(name, value.slice(0, 16).map((v) => boundedHeaderValue(String(v))));
      }
    }
    done(null, payload);
  });
}
