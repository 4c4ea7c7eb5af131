// The floor's mapping, OpenAI chat to Anthropic Messages and back, shared by the minimal translator and the
// reference servers (reference-server.ts) so every reference translates exactly as the floor does.
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a deliberately bare mapper

const text = (c: unknown): string => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p: Json) => p.text ?? '').join('') : '');

export function toAnthropic(body: Json): Json {
  const system = body.messages.filter((m: Json) => m.role === 'system').map((m: Json) => text(m.content)).join('\n');
  const messages: Json[] = [];
  const push = (role: string, block: Json) => {
    const last = messages[messages.length - 1];
    if (last?.role === role) last.content.push(block);
    else messages.push({ role, content: [block] });
  };
  const ids = new Map<string, string>(); // some agents reuse a call id; Anthropic needs unique ones
  let reused = 0;
  const idFor = (id: string) => (ids.has(id) ? `${id}_${++reused}` : id);
  for (const m of body.messages as Json[]) {
    if (m.role === 'tool') push('user', { type: 'tool_result', tool_use_id: ids.get(m.tool_call_id) ?? m.tool_call_id, content: text(m.content) });
    else if (m.role === 'user') push('user', { type: 'text', text: text(m.content) || '.' });
    else if (m.role === 'assistant') {
      if (text(m.content)) push('assistant', { type: 'text', text: text(m.content) });
      for (const c of m.tool_calls ?? []) ids.set(c.id, idFor(c.id));
      for (const c of m.tool_calls ?? []) push('assistant', { type: 'tool_use', id: ids.get(c.id), name: c.function.name, input: JSON.parse(c.function.arguments || '{}') });
    }
  }
  const tools = body.tools?.map((t: Json) => ({ name: t.function.name, description: t.function.description, input_schema: t.function.parameters }));
  return { model: body.model, max_tokens: body.max_tokens ?? 4096, system: system || undefined, messages, tools, stream: body.stream || undefined };
}

/** The Anthropic message as a chat completion: its text only. */
export function toChatCompletion(message: Json): Json {
  const content = message.content?.filter((b: Json) => b.type === 'text').map((b: Json) => b.text).join('') ?? null;
  return { id: message.id, object: 'chat.completion', model: message.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: message.usage };
}
