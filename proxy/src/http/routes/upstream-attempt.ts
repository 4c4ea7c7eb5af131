// The attempt stage shared by the translating endpoints: one callUpstream for the planned models, its attempts,
// body size and statuses written to the request record, its fallback and the upstream that answered told to the client.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callDeps, type GatewayContext } from '../../gateway/context.ts';
import type { CallResult } from '../../reliability/resilient-call.ts';
import { callUpstream, type UpstreamAnswer } from '../../upstream/call.ts';
import { noteCall, noteUpstream } from '../route-notes.ts';

export interface AttemptPlan {
  projectId: string;
  models: string[];
  bodyFor(model: string): unknown;
  headersFor?(model: string): Record<string, string | undefined>;
  stream: boolean;
  signal: AbortSignal;
}

export async function attemptUpstream(
  ctx: Pick<GatewayContext, 'upstream' | 'reliability' | 'now' | 'config'>,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: AttemptPlan,
): Promise<CallResult<UpstreamAnswer>> {
  const record = request.record;
  const call = await callUpstream(callDeps(ctx), {
    requestId: request.id,
    ...plan,
    onAttempt: ({ attempt, bodyBytes }) => {
      record.attempts = attempt;
      record.bodyBytes = bodyBytes;
    },
    onStatus: (status) => {
      record.upstreamStatus = status;
    },
  });
  noteCall(reply, record, call);
  noteUpstream(reply, record, call.value.headers);
  return call;
}
