// The key a conversation is recognised by on every turn: its system prompt and its first message, which agents
// resend unchanged. Cache breakpoints are left out: the gateway's rolling breakpoints move off the first message
// as the conversation grows, and must not make a later turn look like a new conversation. Pure.
import { createHash } from 'node:crypto';

const withoutBreakpoints = (key: string, value: unknown) => (key === 'cache_control' ? undefined : value);

export function conversationOf(body: Record<string, unknown> | undefined): string | undefined {
  const messages = body?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const anchor = JSON.stringify([body!.system ?? null, messages[0]], withoutBreakpoints);
  return createHash('sha256').update(anchor).digest('base64url').slice(0, 32);
}
