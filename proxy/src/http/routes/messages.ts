// POST /v1/messages and /v1/messages/count_tokens: Anthropic-native pass-through for Claude Code and other
// Anthropic clients. Same keys and accounting as the OpenAI routes; anthropic-version and anthropic-beta travel
// unchanged; upstream answers (errors included) reach the client as Anthropic sent them.
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest } from '../../errors.ts';
import { capMessagesBody, policyOf } from '../../projects/policy-apply.ts';
import { projectRoutingOf } from '../../routing/project-policy.ts';
import { routingInputFromAnthropic } from '../../routing/routing-input.ts';
import { recordUsageOf } from '../../usage/from-anthropic.ts';
import { ANTHROPIC_VERSION } from '../../upstream/anthropic-http.ts';
import { callUpstream, type UpstreamAnswer } from '../../upstream/call.ts';
import { openPassThrough, type OpenedPassThrough } from '../../upstream/open-pass-through.ts';
import { SseDecoder } from '../../upstream/sse-decoder.ts';
import { anthropicAnchor, conversationIds } from '../../translate/conversation-id.ts';
import { emptySnapshot, foldEvent, type AnthropicStreamEvent } from '../../translate/message-fold.ts';
import { fromTransportError } from '../../upstream/transport-error.ts';
import { callDeps, type GatewayContext } from '../../gateway/context.ts';
import { summarizeRoles, type RequestRecord } from '../../usage/request-record.ts';
import { reportStreamError } from '../reliability-hooks.ts';
import { noteCall, noteRoute, noteUpstream, requestExtras } from '../route-notes.ts';
import { bindClientAbort } from './client-abort.ts';
import { recordingHooks } from './upstream-attempt.ts';

const FORWARDED_RESPONSE_HEADERS = ['content-type', 'request-id', 'retry-after', 'x-should-retry'];

export function registerMessages(app: FastifyInstance, ctx: GatewayContext): void {
  const options = { config: { access: 'api' as const, errorShape: 'anthropic' as const } };
  app.post('/v1/messages', options, (request, reply) => passThrough(ctx, request, reply, '/v1/messages'));
  app.post('/v1/messages/count_tokens', options, (request, reply) => passThrough(ctx, request, reply, '/v1/messages/count_tokens'));
}

async function passThrough(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply, path: string) {
  const record = request.record;
  record.endpoint = path.endsWith('count_tokens') ? 'count_tokens' : 'messages';
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  const params = body as Record<string, unknown>;
  if (typeof params.model !== 'string') throw invalidRequest('model: Field required', 'model');

  record.fields = Object.keys(params).sort();
  record.requestedModel = params.model;
  if (Array.isArray(params.messages)) {
    record.messages = params.messages.length;
    record.roles = summarizeRoles(params.messages as Array<{ role?: unknown }>);
  }
  record.tools = Array.isArray(params.tools) ? params.tools.length : 0;
  record.stream = params.stream === true;

  const project = projectRoutingOf(request);
  record.projectId ??= project.id;
  const conversationId = conversationIds(anthropicAnchor(params)).named;
  const routed = await ctx.router.route({ requested: params.model, project, input: () => routingInputFromAnthropic(params), conversationId });
  noteRoute(reply, record, routed);
  if (routed.outcome && record.endpoint === 'messages') requestExtras(request).ticket = routed.outcome;
  // The caller's project may cap max_tokens.
  const capped = capMessagesBody(routed.model === params.model ? params : { ...params, model: routed.model }, policyOf(request));
  const outgoing = capped.body;
  if (capped.note) {
    record.adjustments = [capped.note];
    reply.header('x-gateway-adjustments', capped.note);
  }

  const abort = new AbortController();
  bindClientAbort(reply, abort, record);
  const started = ctx.now();
  // Retried before the client sees a byte: error statuses worth retrying, failed connections, and a body that
  // breaks off before it is complete. No fallback model here: a native client chose its model itself.
  const call = await callUpstream(callDeps(ctx), {
    requestId: request.id,
    projectId: project.id,
    models: [routed.model],
    bodyFor: () => JSON.stringify(outgoing),
    stream: record.stream && record.endpoint === 'messages',
    signal: abort.signal,
    path,
    headers: {
      'anthropic-version': header(request, 'anthropic-version') ?? ANTHROPIC_VERSION,
      'anthropic-beta': header(request, 'anthropic-beta'),
      accept: record.stream ? 'text/event-stream' : 'application/json',
    },
    useCircuit: record.endpoint === 'messages',
    keepErrorAnswer: true,
    open: (response) => openPassThrough(response.body, ctx.config.keepAliveMs),
    ...recordingHooks(record),
  });
  noteCall(reply, record, call);
  return answerPassThrough(ctx, request, reply, { answer: call.value, abort, started });
}

interface PassThroughAnswer {
  answer: UpstreamAnswer<OpenedPassThrough>;
  abort: AbortController;
  started: number;
}

function answerPassThrough(ctx: GatewayContext, request: FastifyRequest, reply: FastifyReply, job: PassThroughAnswer) {
  const { answer, abort, started } = job;
  const record = request.record;
  noteUpstream(reply, record, answer.headers);
  reply.code(answer.status);
  for (const name of Object.keys(answer.headers)) {
    if (FORWARDED_RESPONSE_HEADERS.includes(name) || name.startsWith('anthropic-ratelimit-')) {
      reply.header(name, answer.headers[name]);
    }
  }

  if (answer.kind === 'stream') {
    const tap = usageTap(record, ctx.now, started);
    ctx.activeStreams.add(abort);
    tap.once('close', () => ctx.activeStreams.delete(abort));
    const source = answer.opened.body;
    source.once('error', (error) => {
      if (!record.clientAborted) reportStreamError(ctx, request, fromTransportError(error).toJSON().error, 502);
      tap.destroy(error);
    });
    return reply.send(source.pipe(tap));
  }
  if (answer.status === 200 && record.endpoint === 'messages') {
    record.firstByteMs = ctx.now() - started;
    noteUsage(record, safeJson(answer.text)?.usage);
    return reply.send(answer.text);
  }
  // count_tokens answers and upstream errors travel back unchanged.
  if (answer.status !== 200) record.errorType = String(safeJson(answer.text)?.error?.type ?? answer.status);
  return reply.send(answer.text);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** An answer's body, for the two fields read from it; anything unparsable is undefined. */
type AnswerJson = { usage?: unknown; error?: { type?: unknown } } | undefined;

function safeJson(text: string): AnswerJson {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function noteUsage(record: RequestRecord, usage: unknown): void {
  const recorded = recordUsageOf(usage);
  if (recorded) record.usage = recorded;
}

/**
 * Passes the upstream bytes through untouched while folding usage and the stop reason. Only message_start and
 * message_delta carry them, so only those events are parsed: the content deltas pass unread.
 */
function usageTap(record: RequestRecord, now: () => number, started: number): Transform {
  const decoder = new SseDecoder();
  const snapshot = emptySnapshot();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (record.firstByteMs === undefined) record.firstByteMs = now() - started;
      for (const event of decoder.push(chunk)) {
        if (event.event !== 'message_start' && event.event !== 'message_delta') continue;
        const data = safeJson(event.data);
        if (!data || typeof data !== 'object') continue;
        // Anthropic's own event, parsed: the fold reads only the usage and stop fields it knows.
        foldEvent(snapshot, { ...data, type: event.event } as AnthropicStreamEvent);
        if (event.event === 'message_delta') record.finishReason = snapshot.stopReason;
      }
      callback(null, chunk);
    },
    flush(callback) {
      noteUsage(record, snapshot.usage ?? {});
      callback();
    },
  });
}
