// Route options every /admin route shares: the admin key is required and errors take OpenAI's shape.
import type { FastifyRequest } from 'fastify';

export const ADMIN_ROUTE = { config: { access: 'admin' as const, errorShape: 'openai' as const } };

/** Marks the request as an admin call in its log line. */
export function adminCall(request: FastifyRequest): void {
  request.record.endpoint = 'admin';
}
