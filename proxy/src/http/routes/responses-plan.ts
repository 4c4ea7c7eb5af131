// The plan of a /v1/responses request: the stored conversation it continues, the body normalized into the
// chat form, the routed model, and a translation per model (token reduction included), decided once before
// anything is sent upstream.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { capabilitiesFor } from '../../models/catalog.ts';
import { capCapabilities, capMaxTokens, policyOf, withDefaultModel, withNote } from '../../projects/policy-apply.ts';
import { projectRoutingOf, type ProjectRouting } from '../../routing/project-policy.ts';
import { routingInputFromChat } from '../../routing/routing-input.ts';
import type { RouteResult } from '../../routing/model-router.ts';
import { toAnthropicRequest, type TranslatedRequest } from '../../translate/request.ts';
import { normalizeResponsesRequest, type NormalizedResponsesRequest } from '../../translate/responses/request.ts';
import type { ResponsesContext } from '../../translate/responses/output.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { summarizeRoles } from '../request-context.ts';
import { noteAdjustments, noteReduction, noteRoute, requestExtras } from '../route-notes.ts';
import type { ResponsesService } from './responses-service.ts';

export interface ResponsesPlan {
  normalized: NormalizedResponsesRequest;
  project: ProjectRouting;
  routed: RouteResult;
  translated: TranslatedRequest;
  translateFor(model: string): TranslatedRequest;
  context: ResponsesContext;
  cacheKey: string | undefined;
}

export async function planResponses(ctx: GatewayContext, service: ResponsesService, request: FastifyRequest, reply: FastifyReply): Promise<ResponsesPlan> {
  const record = request.record;
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) record.fields = Object.keys(body).sort();
  const project = projectRoutingOf(request);
  record.projectId ??= project.id;
  const policy = policyOf(request);

  const notes: string[] = [];
  const earlier = previousItems(service, body, project.id);
  const normalized = normalizeResponsesRequest(withDefaultModel(body, policy), { seal: service.seal, note: (n) => notes.push(n) }, earlier);
  const { chat, options } = normalized;
  const capNote = capMaxTokens(chat, policy);
  record.requestedModel = chat.model;
  record.messages = chat.messages.length;
  record.roles = summarizeRoles(chat.messages);
  record.tools = chat.tools?.length ?? 0;

  const routed = await ctx.router.route({ requested: chat.model, project, input: () => routingInputFromChat(chat) });
  noteRoute(reply, record, routed);
  if (routed.outcome) requestExtras(request).ticket = routed.outcome;

  const translateFor = (model: string) => {
    let translated = toAnthropicRequest(chat, { model, capabilities: capCapabilities(capabilitiesFor(model), policy), lookupThinking: ctx.thinking.lookup });
    for (const note of [capNote, ...notes]) translated = withNote(translated, note);
    return ctx.savings.reduce(translated, policy);
  };
  const translated = translateFor(routed.model);
  record.stream = translated.params.stream === true;
  noteAdjustments(reply, record, translated);
  noteReduction(reply, record, translated);

  const context: ResponsesContext = {
    id: `resp_${ctx.newId()}`,
    createdAt: Math.floor(ctx.now() / 1000),
    model: routed.model,
    echo: options.echo,
    ...(options.previousResponseId && { previousResponseId: options.previousResponseId }),
    store: options.store,
    namespaced: options.namespaced,
    customToolNames: translated.customToolNames,
    seal: (blocks) => service.seal.seal(blocks),
  };
  const cacheKey = ctx.savings.cacheKey(chat, translated.params, request.headers, policy);
  return { normalized, project, routed, translated, translateFor, context, cacheKey };
}

/** The conversation `previous_response_id` names, or a 404 in the API's words when this project has none such. */
function previousItems(service: ResponsesService, body: Record<string, unknown> | undefined, projectId: string): unknown[] {
  const id = body?.previous_response_id;
  if (id === undefined || id === null) return [];
  if (typeof id !== 'string' || id === '') {
    throw new GatewayError({ status: 400, type: 'invalid_request_error', param: 'previous_response_id', message: 'previous_response_id must be a non-empty string' });
  }
  const items = service.store.conversation(id, projectId);
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
