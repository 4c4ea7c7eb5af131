// Anthropic accepts tool_use ids made of letters, digits, `_` and `-` only. Ids minted elsewhere (another
// provider, a Responses `call_id` such as `call_1|fc_2`) are rewritten the same way on the call and on its
// result, so pairing survives; ids already valid pass unchanged.
const INVALID = /[^a-zA-Z0-9_-]/g;

export function safeToolId(id: string): string {
  return id.replace(INVALID, '_');
}

/** An id for a call the client sent without one, fixed by its position so repeated requests match. */
export function positionalToolId(messageIndex: number, callIndex: number): string {
  return `call_m${messageIndex}_${callIndex}`;
}
