// How a routing decision, a fallback, translation adjustments and token reduction are told: response headers for the client (X-Model-Source,
// X-Routed-Model, X-Route-Reason, X-Fallback-From) and the request record for the log and the usage record.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { reductionHeader, type ReducedRequest } from '../gateway/chat-savings.ts';
import type { CallResult } from '../reliability/resilient-call.ts';
import type { RateCharge } from '../reliability/rate-limiter.ts';
import type { OutcomeTicket, RouteResult } from '../routing/model-router.ts';
import type { TranslatedRequest } from '../translate/request.ts';
import type { RequestRecord } from '../usage/request-record.ts';

/** Header-safe text: printable ASCII, one line, bounded. */
export function headerText(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 300 ? `${ascii.slice(0, 297)}...` : ascii;
}

export function noteRoute(reply: FastifyReply, record: RequestRecord, routed: RouteResult): void {
  record.model = routed.model;
  record.modelSource = routed.source;
  record.routeReason = routed.reason;
  reply.header('x-model-source', routed.source);
  reply.header('x-routed-model', routed.model);
  reply.header('x-route-reason', headerText(routed.reason));
}

/** After the call: how many attempts it took and, when another model answered, which one was given up on. */
export function noteCall(reply: FastifyReply, record: RequestRecord, call: Pick<CallResult<unknown>, 'model' | 'attempts' | 'fallback'>): void {
  record.attempts = call.attempts;
  if (!call.fallback) return;
  record.fallbackFrom = call.fallback.from;
  record.model = call.model;
  record.routeReason = `${record.routeReason ?? 'fallback'}; fallback:${call.fallback.from} ${call.fallback.why}`;
  reply.header('x-fallback-from', call.fallback.from);
  reply.header('x-routed-model', call.model);
  reply.header('x-route-reason', headerText(record.routeReason));
}

/** Which upstream answered (several upstreams configured): X-Upstream for the client, and the record. */
export function noteUpstream(reply: FastifyReply, record: RequestRecord, headers: Record<string, string | string[] | undefined>): void {
  const name = headers['x-upstream'];
  if (typeof name !== 'string') return;
  record.upstream = name;
  reply.header('x-upstream', name);
}

/** Per-request state the reliability hooks need and the log line must not show. */
export interface RequestExtras {
  /** What the smart router decided, to be credited when the answer ends. */
  ticket?: OutcomeTicket;
  /** What the rate limiter charged, to be corrected to the real token count. */
  charge?: RateCharge;
}

const extrasByRequest = new WeakMap<FastifyRequest, RequestExtras>();

export function requestExtras(request: FastifyRequest): RequestExtras {
  let extras = extrasByRequest.get(request);
  if (!extras) {
    extras = {};
    extrasByRequest.set(request, extras);
  }
  return extras;
}

/** What token reduction did to the request sent: in the record and the X-Reduction header. */
export function noteReduction(reply: FastifyReply, record: RequestRecord, translated: Partial<ReducedRequest>): void {
  const report = translated.reduction;
  if (!report) return;
  record.reduction = { tokensBefore: report.tokensBefore, tokensAfter: report.tokensAfter, byLayer: report.byLayer };
  reply.header('x-reduction', reductionHeader(report));
}

/** What translation changed or dropped: in the record and the X-Gateway-Adjustments header. */
export function noteAdjustments(reply: FastifyReply, record: RequestRecord, translated: Pick<TranslatedRequest, 'adjustments'>): void {
  if (translated.adjustments.length === 0) return;
  record.adjustments = translated.adjustments;
  reply.header('x-gateway-adjustments', translated.adjustments.join('; ').replace(/[^\x20-\x7e]/g, '?'));
}
