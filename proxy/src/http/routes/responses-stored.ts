// The stored side of the Responses API: GET /v1/responses/{id}, GET /v1/responses/{id}/input_items,
// DELETE /v1/responses/{id}, and POST /v1/responses/input_tokens (counted by Anthropic's count_tokens).
// A stored response is visible only to the project that created it; to anyone else it does not exist.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { capabilitiesFor } from '../../models/catalog.ts';
import { capCapabilities, policyOf, withDefaultModel } from '../../projects/policy-apply.ts';
import { projectRoutingOf } from '../../routing/project-policy.ts';
import { chatAnchor, conversationIds } from '../../translate/conversation-id.ts';
import { toAnthropicRequest } from '../../translate/request.ts';
import { listPage } from '../../translate/responses/input-list.ts';
import { forClient, withoutSealed } from '../../translate/responses/output.ts';
import { ENCRYPTED_REASONING, normalizeResponsesRequest } from '../../translate/responses/request.ts';
import { routingInputFromChat } from '../../routing/routing-input.ts';
import { callDeps, type GatewayContext } from '../../gateway/context.ts';
import { callUpstream } from '../../upstream/call.ts';
import { INPUT_ITEMS_QUERY, RESPONSE_QUERY, type InputItemsQuery, type ResponseQuery } from '../schemas/responses.ts';
import { bindClientAbort } from './client-abort.ts';
import { recallThinking } from './chat-thinking.ts';
import { previousItems } from './responses-plan.ts';
import type { StoredResponse } from '../../store/responses-store.ts';
import type { ResponsesService } from './responses-service.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
type IdParams = { Params: { id: string } };

export function registerStoredResponses(app: FastifyInstance, ctx: GatewayContext, service: ResponsesService): void {
  const config = { access: 'api' as const, errorShape: 'openai' as const };
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/responses/input_tokens`, { config }, (request, reply) => countInputTokens(ctx, service, request, reply));
    app.get<IdParams & { Querystring: ResponseQuery }>(`${prefix}/responses/:id`, { config, schema: { params: idParams, querystring: RESPONSE_QUERY } }, async (request) => {
      const stored = await find(service, request);
      return forClient(stored.response, includesEncrypted(request.query));
    });
    app.get<IdParams & { Querystring: InputItemsQuery }>(
      `${prefix}/responses/:id/input_items`,
      { config, schema: { params: idParams, querystring: INPUT_ITEMS_QUERY } },
      async (request) => {
        const items = (await chainInputItems(service, await find(service, request))).map((item) => forClientItem(item, includesEncrypted(request.query)));
        return listPage(items as Record<string, unknown>[], request.query);
      },
    );
    app.delete(`${prefix}/responses/:id`, { config, schema: { params: idParams } }, async (request, reply: FastifyReply) => {
      const { id } = request.params as { id: string };
      if (!(await service.shared.delete(id, projectRoutingOf(request).id))) throw notFound(id);
      return reply.send({ id, object: 'response', deleted: true });
    });
  }
}

async function find(service: ResponsesService, request: FastifyRequest) {
  const { id } = request.params as { id: string };
  const stored = await service.shared.find(id, projectRoutingOf(request).id);
  if (!stored) throw notFound(id);
  return stored;
}

/**
 * What the response was generated from, oldest first: the turns it continued (each one's input, then its output)
 * and then its own input. An earlier turn that expired or was deleted is left out, as when continuing.
 */
async function chainInputItems(service: ResponsesService, stored: StoredResponse): Promise<unknown[]> {
  const earlier = stored.previousResponseId ? await service.shared.conversation(stored.previousResponseId, stored.projectId) : undefined;
  return [...(earlier ?? []), ...stored.inputItems];
}

const forClientItem = (item: unknown, includeEncrypted: boolean) => (includeEncrypted ? item : withoutSealed(item));

function notFound(id: string): GatewayError {
  return new GatewayError({ status: 404, type: 'invalid_request_error', param: 'id', code: 'response_not_found', message: `Response with id '${id}' not found.` });
}

/** `?include=reasoning.encrypted_content` or `?include[]=…`, once or repeated. */
function includesEncrypted(query: ResponseQuery): boolean {
  return [...(query.include ?? []), ...(query['include[]'] ?? [])].includes(ENCRYPTED_REASONING);
}

async function countInputTokens(ctx: GatewayContext, service: ResponsesService, request: FastifyRequest, reply: FastifyReply) {
  request.record.endpoint = 'count_tokens';
  const project = projectRoutingOf(request);
  const policy = policyOf(request);
  const body = request.body as Record<string, unknown> | undefined;
  const earlier = await previousItems(service, body, project.id);
  const { chat, options } = normalizeResponsesRequest(withDefaultModel({ ...body, stream: false }, policy), { seal: service.seal }, earlier);
  const conversationId = conversationIds(chatAnchor(chat.messages), options.promptCacheKey).named;
  const routed = await ctx.router.route({ requested: chat.model, project, input: () => routingInputFromChat(chat), conversationId });
  request.record.requestedModel = chat.model;
  request.record.model = routed.model;
  const recall = await recallThinking(ctx, chat);
  const capabilities = capCapabilities(capabilitiesFor(routed.model), policy);
  const { params } = toAnthropicRequest({ ...chat, messages: recall.messages }, { model: routed.model, capabilities, lookupThinking: recall.lookup });
  const p = params as unknown as Record<string, unknown>;
  const countBody = Object.fromEntries(['model', 'system', 'messages', 'tools', 'tool_choice', 'thinking'].filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  const abort = new AbortController();
  bindClientAbort(reply, abort, request.record);
  // A cheap call: retried like any other, but its failures do not count against the model's circuit.
  const call = await callUpstream(callDeps(ctx), {
    requestId: request.id,
    projectId: project.id,
    models: [routed.model],
    bodyFor: () => countBody,
    stream: false,
    signal: abort.signal,
    path: '/v1/messages/count_tokens',
    useCircuit: false,
    onStatus: (status: number) => {
      request.record.upstreamStatus = status;
    },
  });
  const counted = call.value.kind === 'body' ? (call.value.json as { input_tokens?: number } | undefined) : undefined;
  return { object: 'response.input_tokens', input_tokens: counted?.input_tokens ?? 0 };
}
