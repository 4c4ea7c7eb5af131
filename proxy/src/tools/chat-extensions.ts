// What the gateway adds to a chat request of its own accord: the conversation's recalled memories, plugin tools
// with the loop that runs them, and the plugin exchanges kept from earlier turns. The chat route asks for a
// turn once per request and calls it at four points: translate, answer, stream, done.
import type { Message, MessageCreateParams, Tool, ToolUnion, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { FinalAnswer } from '../memory/extract.ts';
import { injectMemoryBlock } from '../memory/inject.ts';
import type { MemoryService } from '../memory/memory-service.ts';
import type { Identity } from '../projects/identity.ts';
import { toFinishReason } from '../translate/finish-reason.ts';
import type { ChatRequest } from '../translate/openai-types.ts';
import type { TranslatedRequest } from '../translate/request.ts';
import type { GatewayConfig } from '../config/config.ts';
import type { CallUpstreamDeps } from '../upstream/call.ts';
import type { OpenedStream } from '../upstream/open-stream.ts';
import type { ExchangeStore } from './exchange-store.ts';
import { completeWithPlugins, type LoopContext } from './plugin-loop.ts';
import { observeStream, streamWithPlugins } from './plugin-stream.ts';
import { reinsertExchanges } from './reinsert.ts';
import { toolDefinition, type ToolRegistry } from './tool-registry.ts';
import type { PluginTool } from './tool-types.ts';

export interface ChatExtensionsDeps {
  /** How plugin rounds reach upstream. */
  calls: CallUpstreamDeps;
  config: Pick<GatewayConfig, 'pluginToolMaxRounds' | 'pluginToolTimeoutMs'>;
  memory?: MemoryService | undefined;
  tools?: ToolRegistry | undefined;
  exchanges: ExchangeStore;
  onError?: (error: unknown, what: string) => void;
}

/** The request as the route knows it. */
export interface TurnRequest {
  id: string;
  identity: Identity | null;
}

/** Where the first round went: the model that answered and what it was sent. */
export interface TurnCall {
  model: string;
  params: MessageCreateParams;
  signal: AbortSignal;
}

export interface ChatTurn {
  /** The translated request with kept plugin exchanges, the memory block and plugin tool definitions. */
  prepare(translated: TranslatedRequest): TranslatedRequest;
  /** Non-streamed: runs plugin rounds until the model answers the client; returns what the client gets. */
  complete(message: Message, call: TurnCall): Promise<Message>;
  /** Streamed: the stream the relay should read. */
  stream(opened: OpenedStream, call: TurnCall): OpenedStream;
  /** Plugin tools may run rounds the client never sees: the answer's thinking is then bound to a longer request. */
  readonly pluginRounds: boolean;
}

export class ChatExtensions {
  constructor(private readonly deps: ChatExtensionsDeps) {}

  get memory(): MemoryService | undefined {
    return this.deps.memory;
  }

  get tools(): ToolRegistry | undefined {
    return this.deps.tools;
  }

  /**
   * The turn for one request, or undefined when nothing applies to it (the route then runs as usual).
   * `conversationId` is the request's content id (translate/conversation-id.ts), which keys its memory pin.
   */
  async begin(request: TurnRequest, chat: ChatRequest, conversationId: string | undefined): Promise<ChatTurn | undefined> {
    const { calls, config, memory, tools, exchanges } = this.deps;
    const policy = request.identity?.project;
    const projectId = policy?.id ?? 'default';
    const memoryOn = memory !== undefined && policy?.reduction?.memory !== false;
    const offered = tools ? offeredTools(tools.forProject(policy?.allowedTools ?? null), chat) : [];
    if (!memoryOn && !tools) return undefined;

    let block = '';
    if (memoryOn) {
      try {
        block = (await memory.pin(projectId, chat, conversationId)).block;
      } catch (error) {
        this.deps.onError?.(error, 'memory recall failed; the request goes on without it');
      }
    }
    const active = new Map(offered.map((tool) => [tool.name, tool]));
    const isPlugin = (name: string) => tools?.get(name) !== undefined;
    const onAnswer = memoryOn ? (answer: FinalAnswer) => memory.capture(projectId, chat, answer) : undefined;

    const loopFor = (call: TurnCall): LoopContext => ({
      calls,
      tools: active,
      exchanges,
      target: { requestId: request.id, projectId, model: call.model, signal: call.signal },
      params: call.params,
      maxRounds: config.pluginToolMaxRounds,
      timeoutMs: config.pluginToolTimeoutMs,
      ...(onAnswer && { onAnswer }),
    });

    return {
      pluginRounds: active.size > 0,
      prepare(translated) {
        let params = translated.params;
        if (tools) {
          const messages = reinsertExchanges(params.messages, exchanges.lookup, isPlugin);
          const used = usedPluginTools(messages, isPlugin);
          const definitions = [...new Set([...offered.map((t) => t.name), ...used])]
            .sort()
            .map((name) => toolDefinition(tools.get(name)!))
            .filter((def) => !(params.tools ?? []).some((t: ToolUnion) => (t as Tool).name === def.name));
          params = { ...params, messages, ...(definitions.length > 0 ? { tools: [...(params.tools ?? []), ...definitions] } : {}) };
        }
        params = injectMemoryBlock(params, block);
        return params === translated.params ? translated : { ...translated, params };
      },
      async complete(message, call) {
        // Not a message (an empty upstream body): the route reports it as it would without extensions.
        if (!message || !Array.isArray(message.content)) return message;
        if (active.size > 0) return completeWithPlugins(message, loopFor(call));
        onAnswer?.(answerOf(message));
        return message;
      },
      stream(opened, call) {
        if (active.size > 0) return streamWithPlugins(opened, loopFor(call));
        return onAnswer ? observeStream(opened, onAnswer) : opened;
      },
    };
  }
}

/**
 * The plugin tools a request is offered: those its project allows, minus names the client declared itself
 * (the client's tool wins), and none when the client forces a tool choice (the model must call the client's).
 */
function offeredTools(allowed: readonly PluginTool[], chat: ChatRequest): PluginTool[] {
  const choice = chat.tool_choice;
  if (choice === 'required' || (choice !== null && typeof choice === 'object') || (chat.function_call !== null && typeof chat.function_call === 'object')) {
    return [];
  }
  const clientNames = new Set<string>();
  for (const tool of chat.tools ?? []) {
    const name = tool.function?.name ?? tool.name ?? tool.custom?.name;
    if (typeof name === 'string') clientNames.add(name);
  }
  for (const fn of chat.functions ?? []) clientNames.add(fn.name);
  return allowed.filter((tool) => !clientNames.has(tool.name));
}

function usedPluginTools(messages: MessageCreateParams['messages'], isPlugin: (name: string) => boolean): string[] {
  const names = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const block of message.content) if (block.type === 'tool_use' && isPlugin((block as ToolUseBlockParam).name)) names.add(block.name);
  }
  return [...names];
}

function answerOf(message: Message): FinalAnswer {
  return {
    text: message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(''),
    finishReason: toFinishReason(message.stop_reason),
    toolCalls: message.content.filter((b) => b.type === 'tool_use').length,
  };
}
