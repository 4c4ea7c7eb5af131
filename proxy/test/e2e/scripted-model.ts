// A scripted model for agent loops: the answer depends on how far the conversation has come (the number of
// assistant turns the request carries), as a real model's would on the history it is shown.
import type { FakePlan, RecordedRequest, Responder } from '../fake-anthropic/types.ts';

export function assistantTurns(req: RecordedRequest): number {
  const messages: Array<{ role?: string }> = Array.isArray(req.body?.messages) ? req.body.messages : [];
  return messages.filter((m) => m.role === 'assistant').length;
}

/** Plan n answers a request that carries n assistant turns; the last plan answers anything later. */
export function byTurn(plans: readonly FakePlan[]): Responder {
  return (req) => plans[Math.min(assistantTurns(req), plans.length - 1)]!;
}

/** The Messages calls the fake received after `mark` (a value of `fake.requests.length`). */
export function messageCalls(requests: readonly RecordedRequest[], mark = 0): RecordedRequest[] {
  return requests.slice(mark).filter((r) => r.path === '/v1/messages');
}

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A long, stable system prompt: big enough to be cached on every model the tests use. */
export const LONG_SYSTEM_PROMPT = Array.from(
  { length: 60 },
  (_, i) => `Rule ${i + 1}: read the code before you change it, keep edits small, and run the tests after every change.`,
).join('\n');
