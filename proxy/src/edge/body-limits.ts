// Counts a body may not exceed before it is worth translating: Anthropic accepts at most 100,000 messages per
// request, so a longer conversation is refused here, naming the client's field, instead of upstream.
import { invalidRequest } from '../errors.ts';

export const MAX_MESSAGES = 100_000;

export function checkBodyCounts(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  for (const field of ['messages', 'input'] as const) {
    const items = (body as Record<string, unknown>)[field];
    if (Array.isArray(items) && items.length > MAX_MESSAGES) {
      throw invalidRequest(`${field} has ${items.length} items; at most ${MAX_MESSAGES} are accepted`, field, 'too_many_messages');
    }
  }
}
