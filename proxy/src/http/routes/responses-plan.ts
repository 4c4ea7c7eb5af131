// The plan of a /v1/responses request, before anything is sent: the stored conversation it continues, the body
// normalised into the chat form, the routed model and its fallbacks, the translation for any model (memoised,
// token reduction included), the response context and the response-cache key. Like planChat (chat-plan.ts),
// without memory and plugin tools.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { capabilitiesFor } from '../../models/catalog.ts';
import { capCapabilities, capMaxTokens, policyOf, withDefaultModel, withNote } from '../../projects/policy-apply.ts';
import { modelsToTry } from '../../reliability/fallback-chain.ts';
import { projectRoutingOf, type ProjectRouting } from '../../routing/project-policy.ts';
import { tryResolveModel } from '../../routing/resolve-model.ts';
import { routingInputFromChat } from '../../routing/routing-input.ts';
import type { RouteResult } from '../../routing/model-router.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { chatAnchor, conversationIds } from '../../translate/conversation-id.ts';
import { toAnthropicRequest } from '../../translate/request.ts';
import { normalizeResponsesRequest, type NormalizedResponsesRequest } from '../../translate/responses/request.ts';
import type { ResponsesContext } from '../../translate/responses/output.ts';
import { summarizeRoles } from '../../usage/request-record.ts';
import { noteRoute, requestExtras } from '../route-notes.ts';
import type { FittedRequest } from './chat-plan.ts';
import { fitAttempt, recallThinking } from './chat-thinking.ts';
import type { ResponsesService } from './responses-service.ts';

export interface ResponsesPlan {
  normalized: NormalizedResponsesRequest;
  project: ProjectRouting;
  routed: RouteResult;
  /** The routed model first, then its fallbacks. */
  models: string[];
  translationFor(model: string): FittedRequest;
  stream: boolean;
  context: ResponsesContext;
  cacheKey: string | undefined;
}

export type ResponsesPlanContext = Pick<GatewayContext, 'router' | 'thinking' | 'savings' | 'config' | 'newId' | 'now'>;

export async function planResponses(ctx: ResponsesPlanContext, service: ResponsesService, request: FastifyRequest, reply: FastifyReply): Promise<ResponsesPlan> {
  const record = request.record;
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) record.fields = Object.keys(body).sort();
  const project = projectRoutingOf(request);
  record.projectId ??= project.id;
  const policy = policyOf(request);

  const notes: string[] = [];
  const earlier = await previousItems(service, body, project.id);
  const normalized = normalizeResponsesRequest(withDefaultModel(body, policy), { seal: service.seal, note: (n) => notes.push(n) }, earlier);
  const { chat, options } = normalized;
  const capNote = capMaxTokens(chat, policy);
  record.requestedModel = chat.model;
  record.messages = chat.messages.length;
  record.roles = summarizeRoles(chat.messages);
  record.tools = chat.tools?.length ?? 0;

  // One id for the conversation (made once): prompt_cache_key names it when given, and routing stickiness and
  // cache pacing then follow that name, not the content.
  const conversation = conversationIds(chatAnchor(chat.messages), options.promptCacheKey);
  const routed = await ctx.router.route({ requested: chat.model, project, input: () => routingInputFromChat(chat), conversationId: conversation.named });
  noteRoute(reply, record, routed);
  if (routed.outcome) requestExtras(request).ticket = routed.outcome;

  // Kept thinking, read once (the gateway's own store backs up what the client carries in encrypted_content);
  // each model's thinking is fitted to it after reduction, as on the chat path.
  const recall = await recallThinking(ctx, chat);
  const translations = new Map<string, FittedRequest>();
  const translationFor = (model: string): FittedRequest => {
    let fitted = translations.get(model);
    if (!fitted) {
      const capabilities = capCapabilities(capabilitiesFor(model), policy);
      let translated = toAnthropicRequest({ ...chat, messages: recall.messages }, { model, capabilities, lookupThinking: recall.lookup });
      for (const note of [capNote, ...notes]) translated = withNote(translated, note);
      fitted = fitAttempt(ctx.savings.reduce(translated, policy, conversation), capabilities, recall);
      translations.set(model, fitted);
    }
    return fitted;
  };
  const first = translationFor(routed.model);

  const context: ResponsesContext = {
    id: `resp_${ctx.newId()}`,
    createdAt: Math.floor(ctx.now() / 1000),
    model: routed.model,
    echo: options.echo,
    ...(options.previousResponseId && { previousResponseId: options.previousResponseId }),
    store: options.store,
    namespaced: options.namespaced,
    customToolNames: first.customToolNames,
    seal: (blocks) => service.seal.seal(blocks),
  };
  const cacheKey = ctx.savings.cacheKey(chat, first.params, request.headers, policy);
  const models = modelsToTry(routed.model, project.fallbackChain ?? ctx.config.fallbackChain, (name) => tryResolveModel(name, ctx.config));
  return { normalized, project, routed, models, translationFor, stream: first.params.stream === true, context, cacheKey };
}

/** The conversation `previous_response_id` names, or a 404 in the API's words when this project has none such. */
export async function previousItems(service: Pick<ResponsesService, 'shared'>, body: Record<string, unknown> | undefined, projectId: string): Promise<unknown[]> {
  const id = body?.previous_response_id;
  if (id === undefined || id === null) return [];
  if (typeof id !== 'string' || id === '') {
    throw new GatewayError({ status: 400, type: 'invalid_request_error', param: 'previous_response_id', message: 'previous_response_id must be a non-empty string' });
  }
  const items = await service.shared.conversation(id, projectId);
  if (!items) {
    throw new GatewayError({
      status: 404,
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
      message: `Previous response with id '${id}' not found.`,
    });
  }
  return items;
}
