// Cancelling upstream when the client leaves: every route that calls upstream binds its abort controller here.
import type { FastifyReply } from 'fastify';
import type { RequestRecord } from '../../usage/request-record.ts';

/** A client that closes its connection before the answer is complete cancels the upstream request at once. */
export function bindClientAbort(reply: FastifyReply, abort: AbortController, record: RequestRecord): void {
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) {
      record.clientAborted = true;
      abort.abort();
    }
  });
}
