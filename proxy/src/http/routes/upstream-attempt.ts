// The attempt stage shared by the translating endpoints: one callUpstream for the planned models, its attempts,
// body size and statuses written to the request record, its fallback and the upstream that answered told to the client.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callDeps, type GatewayContext } from '../../gateway/context.ts';
import type { CallResult } from '../../reliability/resilient-call.ts';
import { upstreamBody } from '../../translate/serialize-params.ts';
import { callUpstream, type UpstreamAnswer } from '../../upstream/call.ts';
import { noteAdjustments, noteCall, noteReduction, noteUpstream } from '../route-notes.ts';
import type { FittedRequest } from './chat-plan.ts';
import { betaHeaders } from './chat-thinking.ts';

export interface AttemptPlan {
  projectId: string;
  models: string[];
  bodyFor(model: string): unknown;
  headersFor?(model: string): Record<string, string | undefined>;
  stream: boolean;
  signal: AbortSignal;
}

/** callUpstream hooks that write each attempt's number, body size and status into the request record. */
export function recordingHooks(record: FastifyRequest['record']) {
  return {
    onAttempt: ({ attempt, bodyBytes }: { attempt: number; bodyBytes: number }) => {
      record.attempts = attempt;
      record.bodyBytes = bodyBytes;
    },
    onStatus: (status: number) => {
      record.upstreamStatus = status;
    },
  };
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
    ...recordingHooks(record),
  });
  noteCall(reply, record, call);
  noteUpstream(reply, record, call.value.headers);
  return call;
}

/** What a translating endpoint's plan offers the attempt: its models and each model's fitted translation. */
export interface TranslatedPlan {
  project: { id: string };
  routed: { model: string };
  models: string[];
  stream: boolean;
  translationFor(model: string): FittedRequest;
}

/**
 * The attempt for a translated plan: each model's body and beta headers, and, when a fallback model answered, its
 * adjustments and reduction noted in place of the first model's. Returns the call and the translation that answered.
 * A model's body is serialised once (a retry sends the same bytes again), in proportion to what is new.
 */
export async function attemptTranslated(
  ctx: Pick<GatewayContext, 'upstream' | 'reliability' | 'now' | 'config'>,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: TranslatedPlan,
  options: { signal: AbortSignal },
): Promise<{ call: CallResult<UpstreamAnswer>; answering: FittedRequest }> {
  const headersFor = (model: string) => betaHeaders(plan.translationFor(model));
  const bodies = new Map<string, Buffer>();
  const bodyFor = (model: string) => {
    let body = bodies.get(model);
    if (body === undefined) bodies.set(model, (body = upstreamBody(plan.translationFor(model).params)));
    return body;
  };
  const call = await attemptUpstream(ctx, request, reply, {
    projectId: plan.project.id,
    models: plan.models,
    bodyFor,
    headersFor,
    stream: plan.stream,
    signal: options.signal,
  });
  const answering = plan.translationFor(call.model);
  if (call.model !== plan.routed.model) {
    noteAdjustments(reply, request.record, answering);
    noteReduction(reply, request.record, answering);
  }
  return { call, answering };
}
