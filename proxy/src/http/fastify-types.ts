// Route-level settings the gateway's hooks read, and what it hangs on each request.
import type { Identity } from '../projects/identity.ts';
import type { RequestRecord } from '../usage/request-record.ts';

export type Access = 'open' | 'api' | 'admin';
export type ErrorShape = 'openai' | 'anthropic';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    errorShape?: ErrorShape;
  }
  interface FastifyRequest {
    record: RequestRecord;
    /** Who is calling and which project's policy applies; set for every authenticated request, null before. */
    identity: Identity | null;
  }
}
