// Small pieces every upstream call shares: reading a JSON body, and cancelling upstream when the client leaves.
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { UpstreamResponse } from '../../upstream/anthropic-http.ts';
import { fromTransportError } from '../../upstream/transport-error.ts';
import type { RequestRecord } from '../request-context.ts';

export async function readUpstreamJson(upstream: UpstreamResponse): Promise<unknown> {
  let text: string;
  try {
    text = await upstream.body.text();
  } catch (error) {
    throw fromTransportError(error);
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (upstream.statusCode !== 200) return { raw: text.slice(0, 500) };
    throw new GatewayError({ status: 502, type: 'server_error', code: 'upstream_malformed', message: 'The Anthropic API sent a response that is not JSON.' });
  }
}

/** A client that closes its connection before the answer is complete cancels the upstream request at once. */
export function bindClientAbort(reply: FastifyReply, abort: AbortController, record: RequestRecord): void {
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) {
      record.clientAborted = true;
      abort.abort();
    }
  });
}
