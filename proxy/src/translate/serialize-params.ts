// The upstream body, serialised once per request and in proportion to what is new: each message's JSON is
// remembered by the message object, and the prefix state hands a conversation's unchanged messages on as the
// same objects from turn to turn, so a turn serialises only its new messages and joins the rest. The result
// is exactly JSON.stringify(params): the shell keeps the request's own key order, and a message object is
// never changed once built (every transform copies).
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';

const messageJson = new WeakMap<object, string>();

/** A number no request carries, standing in for the messages while the rest is serialised. */
const HOLE = -7.291e-300;
const HOLE_TEXT = `"messages":${JSON.stringify(HOLE)}`;

function jsonOf(message: object): string {
  let json = messageJson.get(message);
  if (json === undefined) {
    json = JSON.stringify(message);
    messageJson.set(message, json);
  }
  return json;
}

export function serializeParams(params: MessageCreateParams): string {
  if (!Array.isArray(params.messages)) return JSON.stringify(params);
  const shell = JSON.stringify({ ...params, messages: HOLE });
  const at = shell.indexOf(HOLE_TEXT);
  // The hole must be found exactly once; anything else is serialised the plain way.
  if (at === -1 || shell.includes(HOLE_TEXT, at + 1)) return JSON.stringify(params);
  const messages = params.messages.map(jsonOf).join(',');
  return `${shell.slice(0, at)}"messages":[${messages}]${shell.slice(at + HOLE_TEXT.length)}`;
}
