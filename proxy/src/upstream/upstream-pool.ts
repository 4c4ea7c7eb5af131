// Several upstreams behind the one `AnthropicUpstream` seam every route already calls: each call is sent to the
// balancer's first choice among the healthy upstreams serving its model, in that upstream's own wire format,
// and moves on to the next one on a 429, 529, 5xx or failed connection — always before the caller has read a
// byte, since `send` returns only once an upstream has answered well. Who answered is in `x-upstream`.
import { GatewayError } from '../errors.ts';
import type { CircuitBreaker } from '../reliability/circuit-breaker.ts';
import type { UpstreamConfig } from '../config/upstreams.ts';
import type { Upstream, UpstreamRequest, UpstreamResponse } from './upstream.ts';
import { orderUpstreams } from './balancer.ts';
import { conversationOf } from './pool/conversation.ts';
import { createMember, type FaultClass, type Member, type MemberOptions } from './pool/member.ts';
import { createStickyStore, type StickyStore } from './pool/sticky.ts';
import type { AnthropicCall, Provider } from './providers/provider.ts';
import { localAnswer, textResponse } from './providers/response-body.ts';
import { capacityFromHeaders, exhaustedCapacity } from './rate-limit-headers.ts';
import { fromTransportError, isAbortError } from './transport-error.ts';
import { describePool, type PoolStatus } from './pool/status.ts';

export interface UpstreamPoolOptions extends Omit<MemberOptions, 'provider'> {
  upstreams: readonly UpstreamConfig[];
  breaker: CircuitBreaker;
  now: () => number;
  random?: () => number;
  sticky?: StickyStore;
  /** At or below this share of a rate limit left, an upstream gets no new conversations until it resets. */
  drainedBelow?: number;
  /** Providers by upstream name, replacing the configured ones (tests inject static signers and tokens). */
  providers?: Record<string, Provider>;
}

export interface UpstreamPool extends Upstream {
  status(): PoolStatus;
}

type Attempt = { kind: 'response'; member: Member; response: UpstreamResponse; text: string } | { kind: 'error'; member: Member; error: unknown };

/** Upstreams that failed during one call (same abort signal), so its retries go elsewhere first. */
const triedByCall = new WeakMap<AbortSignal, CallState>();

export function faultClass(status: number): FaultClass | undefined {
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'server_error';
  return undefined;
}

function parseBody(raw: string | Buffer | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function headerMap(headers: UpstreamRequest['headers']): Record<string, string> {
  const out: Record<string, string> = { 'anthropic-version': '2023-06-01', 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function noUpstream(model: string | undefined, path: string): UpstreamResponse {
  const what = model ? `the model "${model}"` : path;
  return localAnswer(404, { type: 'error', error: { type: 'not_found_error', message: `No configured upstream serves ${what}.` } });
}

/** A failure to reach the last upstream tried, named after it (the client learns which one, never its keys). */
function unreachable(member: Member, error: unknown): GatewayError {
  const mapped = fromTransportError(error);
  const what = `Upstream "${member.config.name}" (${member.config.provider})`;
  const message = mapped.message.replace(/^The Anthropic API/, what);
  return new GatewayError({ status: mapped.status, type: mapped.type, code: mapped.code, message: message === mapped.message ? `${what}: ${message}` : message });
}

function allCircuitsOpen(model: string | undefined): GatewayError {
  return new GatewayError({
    status: 503,
    type: 'overloaded_error',
    code: 'circuit_open',
    message: `Every upstream serving ${model ?? 'this call'} is failing; the gateway stopped sending them requests for a moment. Try again in 5s.`,
    headers: { 'retry-after': '5' },
  });
}

interface Pool {
  members: Member[];
  options: UpstreamPoolOptions;
  sticky: StickyStore;
  random: () => number;
  drainedBelow: number;
}

/** What one call (one abort signal) has seen: who failed, and who answered last. */
interface CallState {
  tried: Set<string>;
  last?: { name: string; ok: boolean };
  /** The model tried: a fallback to another model starts afresh (a busy model says nothing of the others). */
  model?: string | undefined;
}

async function order(pool: Pool, call: AnthropicCall, model: string | undefined, conversation: string | undefined, tried: Set<string>): Promise<Member[]> {
  const { breaker } = pool.options;
  const serving = pool.members.filter((m) => m.provider.serves(call.method, call.path) && (model === undefined || m.modelId(model) !== undefined));
  const candidates = serving.map((m) => ({
    name: m.config.name,
    weight: m.config.weight,
    capacity: m.capacity,
    circuitOpen: model !== undefined && breaker.enabled && breaker.peek(m.config.name, model) === 'open',
  }));
  const stickyName = conversation ? await pool.sticky.get(conversation).catch(() => undefined) : undefined;
  const names = orderUpstreams({ candidates, sticky: stickyName, tried, now: pool.options.now(), random: pool.random, drainedBelow: pool.drainedBelow });
  return names.map((name) => serving.find((m) => m.config.name === name)!);
}

/** One upstream tried: its good answer, or what went wrong (an error status's body is read and kept). */
async function attempt(pool: Pool, member: Member, call: AnthropicCall, request: UpstreamRequest, model: string | undefined): Promise<Attempt | UpstreamResponse> {
  let response: UpstreamResponse;
  try {
    response = await member.send({ ...call, model: member.modelId(model) }, request);
  } catch (error) {
    if (request.signal?.aborted || isAbortError(error)) throw error;
    return { kind: 'error', member, error };
  }
  const now = pool.options.now();
  member.capacity = response.statusCode === 429 ? exhaustedCapacity(response.headers, now) : (capacityFromHeaders(response.headers, now) ?? member.capacity);
  if (!faultClass(response.statusCode)) return response;
  // Read whole so the connection is free again, and kept in case no other upstream does better.
  const text = await response.body.text().catch(() => '');
  return { kind: 'response', member, response, text };
}

async function noteFailure(pool: Pool, member: Member, model: string | undefined, fault: FaultClass, message: string): Promise<void> {
  member.traffic.failovers[fault]++;
  member.traffic.lastError = message.slice(0, 300);
  member.traffic.lastErrorAt = new Date(pool.options.now()).toISOString();
  // A 429 says "later", not "broken": it drains the upstream but does not count toward its circuit.
  if (model !== undefined && fault !== 'rate_limited') await pool.options.breaker.failure(member.config.name, model);
}

async function answered(pool: Pool, state: CallState, member: Member, response: UpstreamResponse, model: string | undefined, conversation: string | undefined): Promise<UpstreamResponse> {
  member.traffic.answered++;
  state.last = { name: member.config.name, ok: response.statusCode === 200 };
  if (model !== undefined && response.statusCode < 500) await pool.options.breaker.success(member.config.name, model);
  if (conversation && response.statusCode === 200) await pool.sticky.set(conversation, member.config.name).catch(() => undefined);
  response.headers['x-upstream'] = member.config.name;
  return response;
}

function callState(signal: AbortSignal | undefined): CallState {
  if (!signal) return { tried: new Set() };
  const known = triedByCall.get(signal);
  if (known) return known;
  const state: CallState = { tried: new Set() };
  triedByCall.set(signal, state);
  return state;
}

async function send(pool: Pool, request: UpstreamRequest): Promise<UpstreamResponse> {
  const body = parseBody(request.body);
  const call: AnthropicCall = { method: request.method ?? 'POST', path: request.path, body, rawBody: request.body, headers: headerMap(request.headers), model: undefined };
  const model = typeof body?.model === 'string' ? body.model : undefined;
  const conversation = conversationOf(body);
  const state = callState(request.signal);
  if (state.model !== model) {
    state.tried.clear();
    state.last = undefined;
    state.model = model;
  }
  if (state.last) {
    // Sent again within the same call after a 200: that answer failed before the client's first byte (an
    // error event in the stream's opening), so its upstream counts as failed and goes last.
    const previous = pool.members.find((m) => m.config.name === state.last!.name);
    if (previous && state.last.ok) await noteFailure(pool, previous, model, 'overloaded', 'the stream failed before its first content event');
    state.tried.add(state.last.name);
  }
  const ordered = await order(pool, call, model, conversation, state.tried);
  if (ordered.length === 0) return noUpstream(model, call.path);

  let last: Attempt | undefined;
  for (const member of ordered) {
    if (model !== undefined && (await pool.options.breaker.admit(member.config.name, model)).admission === 'reject') continue;
    const result = await attempt(pool, member, call, request, model);
    if (!('kind' in result)) return answered(pool, state, member, result, model, conversation);
    last = result;
    state.tried.add(member.config.name);
    const failure = result.kind === 'error' ? String((result.error as Error)?.message ?? result.error) : `HTTP ${result.response.statusCode}: ${result.text.slice(0, 200)}`;
    await noteFailure(pool, member, model, result.kind === 'error' ? 'connection' : faultClass(result.response.statusCode)!, failure);
  }
  if (!last) throw allCircuitsOpen(model);
  if (last.kind === 'error') throw unreachable(last.member, last.error);
  return answered(pool, state, last.member, textResponse(last.response, last.response.statusCode, last.text, {}), model, conversation);
}

export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const members = options.upstreams.map((config) =>
    createMember(config, { ...options, ...(options.providers?.[config.name] && { provider: options.providers[config.name] }) }),
  );
  const pool: Pool = { members, options, sticky: options.sticky ?? createStickyStore(), random: options.random ?? Math.random, drainedBelow: options.drainedBelow ?? 0.05 };
  return {
    baseUrl: members.map((m) => m.provider.baseUrl).join(', '),
    send: (request) => send(pool, request),
    status: () => describePool(members, options.breaker, options.now()),
    async close() {
      await Promise.all(members.map((m) => m.close()));
    },
  };
}
