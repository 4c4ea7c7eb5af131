// The plan of one chat request, before anything is sent: the normalised request, the project's policy, the
// routed model and its fallbacks, the translation for any model (memoised, so a fallback is translated once),
// and the response-cache key. Data only: the route tells the client about it and then acts on it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { capabilitiesFor } from '../../models/catalog.ts';
import type { ProjectPolicy } from '../../projects/identity.ts';
import { capCapabilities, capMaxTokens, policyOf, withDefaultModel, withNote } from '../../projects/policy-apply.ts';
import { modelsToTry } from '../../reliability/fallback-chain.ts';
import type { RouteResult } from '../../routing/model-router.ts';
import { projectRoutingOf, type ProjectRouting } from '../../routing/project-policy.ts';
import { tryResolveModel } from '../../routing/resolve-model.ts';
import { routingInputFromChat } from '../../routing/routing-input.ts';
import type { ReducedRequest } from '../../gateway/chat-savings.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import type { ChatTurn } from '../../tools/chat-extensions.ts';
import { chatAnchor, conversationIds } from '../../translate/conversation-id.ts';
import { normalizeChatRequest } from '../../translate/normalize.ts';
import type { ChatRequest } from '../../translate/openai-types.ts';
import { toAnthropicRequest } from '../../translate/request.ts';
import { summarizeRoles } from '../../usage/request-record.ts';
import type { ThinkingReport } from '../../translate/thinking-reconcile.ts';
import { noteRoute, requestExtras } from '../route-notes.ts';
import { fitAttempt, recallThinking } from './chat-thinking.ts';

export interface ChatPlan {
  chat: ChatRequest;
  policy: ProjectPolicy | undefined;
  project: ProjectRouting;
  routed: RouteResult;
  /** The routed model first, then its fallbacks. */
  models: string[];
  /** Memory and plugin tools for this request, when on. */
  turn: ChatTurn | undefined;
  /** The upstream request for a model: translated, extended by the turn, reduced, its thinking fitted. Memoised per model. */
  translationFor(model: string): FittedRequest;
  stream: boolean;
  /** The exact-match response-cache key; absent when the answer must not be cached. */
  cacheKey: string | undefined;
}

export type ChatPlanContext = Pick<GatewayContext, 'router' | 'chatExtensions' | 'thinking' | 'savings' | 'config'>;

/** A reduced request whose kept thinking was fitted to its model (chat-thinking.ts). */
export type FittedRequest = ReducedRequest & { thinkingReport: ThinkingReport };

/** Also tells the client the routing decision (headers) as soon as it is made, so an error after it still does. */
export async function planChat(ctx: ChatPlanContext, request: FastifyRequest, reply: FastifyReply): Promise<ChatPlan> {
  const record = request.record;
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) record.fields = Object.keys(body).sort();

  // The caller's project may name a default model and cap max_tokens.
  const policy = policyOf(request);
  const chat = normalizeChatRequest(withDefaultModel(body, policy));
  const capNote = capMaxTokens(chat, policy);
  record.requestedModel = chat.model;
  record.messages = chat.messages.length;
  record.roles = summarizeRoles(chat.messages);
  record.tools = (chat.tools?.length ?? 0) + (chat.functions?.length ?? 0);

  const project = projectRoutingOf(request);
  record.projectId ??= project.id;
  // One id for the conversation, shared by routing stickiness, the memory pin, cache pacing and the prefix state
  // (prompt_cache_key, when sent, names it for routing and pacing).
  const conversation = conversationIds(chatAnchor(chat.messages), chat.prompt_cache_key);
  const routed = await ctx.router.route({ requested: chat.model, project, input: () => routingInputFromChat(chat), conversationId: conversation.named });
  noteRoute(reply, record, routed);
  if (routed.outcome) requestExtras(request).ticket = routed.outcome;

  // Memory and plugin tools, when on: decided once per request, applied to every model's translation.
  const turn = await ctx.chatExtensions?.begin(request, chat, conversation.content);
  // Kept thinking, read once; each model's thinking is fitted after every rewrite of its messages.
  const recall = await recallThinking(ctx, chat);
  const translations = new Map<string, FittedRequest>();
  const translationFor = (model: string): FittedRequest => {
    let fitted = translations.get(model);
    if (!fitted) {
      const capabilities = capCapabilities(capabilitiesFor(model), policy);
      const withCarried = { ...chat, messages: recall.messages };
      const translated = withNote(toAnthropicRequest(withCarried, { model, capabilities, lookupThinking: recall.lookup }), capNote);
      fitted = fitAttempt(ctx.savings.reduce(turn ? turn.prepare(translated) : translated, policy, conversation), capabilities, recall);
      translations.set(model, fitted);
    }
    return fitted;
  };
  const first = translationFor(routed.model);
  // Answers that pass through memory or plugin tools are never cached.
  const cacheKey = turn ? undefined : ctx.savings.cacheKey(chat, first.params, request.headers, policy);
  const models = modelsToTry(routed.model, project.fallbackChain ?? ctx.config.fallbackChain, (name) => tryResolveModel(name, ctx.config));
  return { chat, policy, project, routed, models, turn, translationFor, stream: first.params.stream === true, cacheKey };
}
