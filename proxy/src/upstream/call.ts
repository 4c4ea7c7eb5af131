// One upstream call, the only way the gateway reaches Claude: for each attempt (retries and fallback models,
// inside callWithReliability's circuit and backoff) build the body for the model, send it, map a transport
// failure, check the status, then read the JSON answer or open the event stream. Whatever happens up to the
// client's first byte is one attempt and may be retried; once this returns, nothing is.
import { UpstreamAttemptError, httpFailure } from '../reliability/attempt-failure.ts';
import { RETRYABLE_STATUSES } from '../reliability/retry-policy.ts';
import { callWithReliability, type CallResult, type ReliabilityDeps } from '../reliability/resilient-call.ts';
import { openStream, type OpenedStream } from './open-stream.ts';
import { parseUpstreamJson, readUpstreamText } from './read-json.ts';
import { fromTransportError } from './transport-error.ts';
import type { Upstream, UpstreamResponse } from './upstream.ts';

export interface CallUpstreamDeps {
  upstream: Upstream;
  reliability: ReliabilityDeps;
  now: () => number;
  /** How long a stream's opening may stay silent before the client gets its status (and keep-alives). */
  keepAliveMs: number;
}

export interface AttemptInfo {
  model: string;
  /** 1-based, counted over every model tried. */
  attempt: number;
  bodyBytes: number;
}

export interface CallUpstreamOptions<S = OpenedStream> {
  requestId: string;
  projectId: string;
  /** Models to try in order: the routed one, then its fallbacks. */
  models: string[];
  /** The request body for one model (an object is serialised here, a string is sent as it is). */
  bodyFor(model: string): unknown;
  stream: boolean;
  signal: AbortSignal;
  /** Anthropic's path; /v1/messages unless said otherwise. */
  path?: string;
  /** Extra or replacing request headers (`accept` follows `stream` unless given here). */
  headers?: Record<string, string | undefined>;
  /** Headers for one model's attempt (its request may need a beta the others do not). */
  headersFor?(model: string): Record<string, string | undefined>;
  /** Whether the circuit breaker applies (not for cheap calls such as count_tokens). */
  useCircuit?: boolean;
  /** Which upstream serves this attempt; `deps.upstream` unless given (the seam for several upstreams). */
  upstreamFor?(model: string, attempt: number): Upstream;
  /** Called before each attempt is sent. */
  onAttempt?(info: AttemptInfo): void;
  /** Called with each upstream status as soon as the headers arrive. */
  onStatus?(status: number): void;
  /** Opens a 200 stream; default: parsed Anthropic events read up to the first content event. */
  open?(response: UpstreamResponse): Promise<S>;
  /**
   * Pass-through: an error status comes back as an answer (Anthropic's own words) instead of a thrown error,
   * once retries of a retryable status are spent; and a 200 body is kept as text, not parsed.
   */
  keepErrorAnswer?: boolean;
}

/** A whole JSON (or, with keepErrorAnswer, any) answer; `json` is absent when it was not parsed. */
export interface BodyAnswer {
  kind: 'body';
  status: number;
  headers: UpstreamResponse['headers'];
  text: string;
  json?: unknown;
}

export interface StreamAnswer<S> {
  kind: 'stream';
  status: number;
  headers: UpstreamResponse['headers'];
  opened: S;
}

export type UpstreamAnswer<S = OpenedStream> = BodyAnswer | StreamAnswer<S>;

export async function callUpstream<S = OpenedStream>(deps: CallUpstreamDeps, options: CallUpstreamOptions<S>): Promise<CallResult<UpstreamAnswer<S>>> {
  let lastErrorAnswer: { error: unknown; answer: BodyAnswer; model: string; attempts: number } | undefined;
  const attempt = async (model: string, attemptNumber: number): Promise<UpstreamAnswer<S>> => {
    const response = await send(deps, options, model, attemptNumber);
    options.onStatus?.(response.statusCode);
    if (response.statusCode === 200 && options.stream) return openAnswer(deps, options, response);
    const text = await readUpstreamText(response);
    const answer: BodyAnswer = { kind: 'body', status: response.statusCode, headers: response.headers, text };
    if (response.statusCode !== 200) {
      if (options.keepErrorAnswer && !RETRYABLE_STATUSES.has(response.statusCode)) return answer;
      const body = options.keepErrorAnswer ? (safeJson(text) ?? text) : parseUpstreamJson(response.statusCode, text);
      const failure = httpFailure(response.statusCode, body, response.headers, deps.now());
      if (options.keepErrorAnswer) lastErrorAnswer = { error: failure.error, answer, model, attempts: attemptNumber };
      throw new UpstreamAttemptError(failure);
    }
    if (!options.keepErrorAnswer) answer.json = parseUpstreamJson(200, text);
    return answer;
  };
  const context = { requestId: options.requestId, projectId: options.projectId, signal: options.signal, models: options.models };
  try {
    return await callWithReliability(deps.reliability, { ...context, ...(options.useCircuit === false && { useCircuit: false }) }, attempt);
  } catch (error) {
    // Out of retries on an error status: a pass-through client gets Anthropic's own answer, unchanged.
    if (!lastErrorAnswer || error !== lastErrorAnswer.error) throw error;
    return { value: lastErrorAnswer.answer, model: lastErrorAnswer.model, attempts: lastErrorAnswer.attempts, fallback: null };
  }
}

async function send<S>(deps: CallUpstreamDeps, options: CallUpstreamOptions<S>, model: string, attempt: number): Promise<UpstreamResponse> {
  const body = options.bodyFor(model);
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  options.onAttempt?.({ model, attempt, bodyBytes: payload.length });
  const upstream = options.upstreamFor?.(model, attempt) ?? deps.upstream;
  try {
    return await upstream.send({
      path: options.path ?? '/v1/messages',
      body: payload,
      signal: options.signal,
      headers: { accept: options.stream ? 'text/event-stream' : 'application/json', ...options.headers, ...options.headersFor?.(model) },
    });
  } catch (error) {
    throw fromTransportError(error);
  }
}

/** Opens the stream, or destroys the body so a failed opening never leaves a socket half read. */
async function openAnswer<S>(deps: CallUpstreamDeps, options: CallUpstreamOptions<S>, response: UpstreamResponse): Promise<StreamAnswer<S>> {
  const open = options.open ?? ((r: UpstreamResponse) => openStream(r, deps.keepAliveMs) as Promise<S>);
  try {
    return { kind: 'stream', status: response.statusCode, headers: response.headers, opened: await open(response) };
  } catch (error) {
    response.body.destroy();
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
