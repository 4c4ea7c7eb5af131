// Helpers for the thinking-continuity tests: a tool-calling model script, an agent loop driven by the `openai`
// SDK against one or more gateways, and the figures each loop collects.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../src/config/config.ts';
import { buildGateway } from '../../src/http/app.ts';
import type { RecordedRequest, Responder } from '../fake-anthropic/types.ts';
import { startApp } from '../helpers/harness.ts';
import { assistantTurns, messageCalls } from './scripted-model.ts';

export const READ_FILE: ChatCompletionTool = {
  type: 'function',
  function: { name: 'read_file', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
};

/** Thinks, then reads one file per turn until `turns` assistant turns exist, then answers. */
export function toolLoop(turns: number): Responder {
  return stepLoop(turns, assistantTurns);
}

/** The same script counting the calls it answered, for histories that pruning shortens. */
export function countingLoop(turns: number): Responder {
  let calls = 0;
  return stepLoop(turns, () => calls++);
}

function stepLoop(turns: number, step: (req: RecordedRequest) => number): Responder {
  return (req) => {
    const n = step(req);
    const think = { type: 'thinking' as const, thinking: `Step ${n}: decide what to read next.` };
    if (n < turns) return { content: [think, { type: 'tool_use', name: 'read_file', input: { path: `src/f${n}.ts` } }], stopReason: 'tool_use' };
    return { content: [think, { type: 'text', text: `Done after ${n} reads.` }], stopReason: 'end_turn' };
  };
}

export interface LoopFigures {
  turns: number;
  /** Thinking blocks sent back upstream, over all turns. */
  blocksKept: number;
  /** Blocks the gateway reported as not sent back (from X-Gateway-Adjustments). */
  blocksDropped: number;
  /** Requests answered with an error. */
  failures: number;
  adjustments: string[];
  /** reasoning_details entries the client received and kept. */
  carried: number;
}

export interface LoopOptions {
  model: string;
  stream: boolean;
  /** The client (hence the gateway) that sends turn i. */
  client: (turn: number) => OpenAI;
  messages: ChatCompletionMessageParam[];
  /** Tool output for turn i (a long one pushes the history past the pruning threshold). */
  toolOutput?: (i: number) => string;
  /** Called between turns; may rewrite earlier messages or restart a gateway. */
  between?: (turn: number, messages: ChatCompletionMessageParam[]) => void | Promise<void>;
  maxTurns?: number;
  /** Send each answer's reasoning_details back, as OpenRouter-compatible clients do. */
  carry?: boolean;
  /** Rewrites the reasoning_details the client sends back (a client that edits what it keeps). */
  tamper?: (details: any[]) => any[];
}

const DROPPED = /(\d+) earlier thinking block\(s\) not sent back|(\d+) thinking block\(s\) dropped by Anthropic/g;

export async function runLoop(opts: LoopOptions): Promise<LoopFigures> {
  const figures: LoopFigures = { turns: 0, blocksKept: 0, blocksDropped: 0, failures: 0, adjustments: [], carried: 0 };
  const messages = opts.messages;
  for (let turn = 0; turn < (opts.maxTurns ?? 40); turn++) {
    const client = opts.client(turn);
    const body = { model: opts.model, messages, tools: [READ_FILE], reasoning_effort: 'medium' as const };
    const { message, finish, headers } = await ask(client, body, opts.stream);
    figures.turns++;
    const note = headers.get('x-gateway-adjustments');
    if (note) {
      figures.adjustments.push(note);
      for (const m of note.matchAll(DROPPED)) figures.blocksDropped += Number(m[1] ?? m[2]);
    }
    if (finish !== 'tool_calls') return figures;
    const details = (message as { reasoning_details?: any[] }).reasoning_details;
    if (opts.carry && details) figures.carried += details.length;
    const carried = opts.carry && details ? { reasoning_details: opts.tamper ? opts.tamper(details) : details } : {};
    messages.push({ role: 'assistant', content: message.content, tool_calls: message.tool_calls, ...carried } as ChatCompletionMessageParam);
    for (const call of message.tool_calls ?? []) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: opts.toolOutput?.(turn) ?? `contents of file ${turn}` });
    }
    await opts.between?.(turn, messages);
  }
  return figures;
}

type Body = { model: string; messages: ChatCompletionMessageParam[]; tools: ChatCompletionTool[]; reasoning_effort: 'medium' };

async function ask(client: OpenAI, body: Body, stream: boolean) {
  if (!stream) {
    const { data, response } = await client.chat.completions.create({ ...body, stream: false }).withResponse();
    return { message: data.choices[0]!.message, finish: data.choices[0]!.finish_reason, headers: response.headers };
  }
  const { data, response } = await client.chat.completions.create({ ...body, stream: true }).withResponse();
  const calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  let content = '';
  let finish: string | null = null;
  const details: unknown[] = [];
  for await (const chunk of data) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? '';
    details.push(...((choice.delta as { reasoning_details?: unknown[] }).reasoning_details ?? []));
    for (const d of choice.delta.tool_calls ?? []) {
      calls[d.index] ??= { id: d.id ?? '', type: 'function', function: { name: d.function?.name ?? '', arguments: '' } };
      calls[d.index]!.function.arguments += d.function?.arguments ?? '';
    }
    finish = choice.finish_reason ?? finish;
  }
  const message = {
    role: 'assistant' as const,
    content: content || null,
    refusal: null,
    ...(calls.length > 0 && { tool_calls: calls }),
    ...(details.length > 0 && { reasoning_details: details }),
  };
  return { message, finish, headers: response.headers };
}

/** Thinking blocks in the assistant turns of the Messages calls after `mark`, per call. */
export function thinkingSent(requests: readonly RecordedRequest[], mark: number): number[] {
  return messageCalls(requests, mark).map((r) =>
    (r.body.messages as Array<{ role: string; content: unknown }>)
      .filter((m) => m.role === 'assistant' && Array.isArray(m.content))
      .reduce((n, m) => n + (m.content as Array<{ type: string }>).filter((b) => b.type === 'thinking').length, 0),
  );
}

/** Whether every assistant tool turn of a Messages call starts with a thinking block. */
export function everyToolTurnThinks(request: RecordedRequest): boolean {
  return (request.body.messages as Array<{ role: string; content: Array<{ type: string }> | string }>)
    .filter((m) => m.role === 'assistant' && Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_use'))
    .every((m) => (m.content as Array<{ type: string }>)[0]?.type === 'thinking');
}

export interface ExtraGateway {
  app: FastifyInstance;
  client: OpenAI;
  close(): Promise<void>;
}

/** Another gateway on the same config (same DATA_DIR, same Redis): a restart, or a second replica. */
export async function extraGateway(config: GatewayConfig, apiKey: string): Promise<ExtraGateway> {
  const app = buildGateway(config, { logger: false });
  const baseURL = await startApp(app, true);
  return { app, client: sdk(baseURL, apiKey), close: () => app.close() };
}

export function sdk(baseURL: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
}
