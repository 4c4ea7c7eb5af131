// Reads an upstream answer's body as JSON, mapping a broken connection and a non-JSON success to gateway errors.
import { GatewayError } from '../errors.ts';
import type { UpstreamResponse } from './upstream.ts';
import { fromTransportError } from './transport-error.ts';

export async function readUpstreamText(upstream: UpstreamResponse): Promise<string> {
  try {
    return await upstream.body.text();
  } catch (error) {
    throw fromTransportError(error);
  }
}

/** Parses an answer's text: undefined when empty; an error body that is not JSON is kept as `{raw}`. */
export function parseUpstreamJson(statusCode: number, text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (statusCode !== 200) return { raw: text.slice(0, 500) };
    throw new GatewayError({ status: 502, type: 'server_error', code: 'upstream_malformed', message: 'The Anthropic API sent a response that is not JSON.' });
  }
}

export async function readUpstreamJson(upstream: UpstreamResponse): Promise<unknown> {
  return parseUpstreamJson(upstream.statusCode, await readUpstreamText(upstream));
}
