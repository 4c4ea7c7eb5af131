// Once a Responses answer is complete: the usage record, the thinking a later tool turn needs, the response
// cache, and the stored response (store: true). Returns the response object, reasoning sealed.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../gateway/context.ts';
import { toFinishReason } from '../../translate/finish-reason.ts';
import { withItemIds } from '../../translate/responses/input-list.ts';
import { thinkingCarryOf, toResponse } from '../../translate/responses/output.ts';
import { recordUsage } from '../../usage/from-anthropic.ts';
import { thinkingKeeper } from './chat-thinking.ts';
import type { ResponsesPlan } from './responses-plan.ts';
import type { ResponsesService } from './responses-service.ts';

export interface FinishedAnswer {
  message: Message;
  model: string;
  /** The answer may go into the response cache (the routed model answered, and the plan has a cache key). */
  cacheable: boolean;
}

export function keepAnswer(
  ctx: Pick<GatewayContext, 'thinking' | 'savings' | 'now'>,
  service: ResponsesService,
  request: FastifyRequest,
  plan: ResponsesPlan,
  done: FinishedAnswer,
): Record<string, unknown> {
  const { message } = done;
  const record = request.record;
  const response = toResponse(message, { ...plan.context, model: done.model }, Math.floor(ctx.now() / 1000));
  record.usage = recordUsage(message.usage ?? {});
  record.finishReason = toFinishReason(message.stop_reason);
  // The gateway's own copy, bound to the request that produced it, for a client that sends no reasoning back.
  const carry = thinkingCarryOf(message);
  if (carry) void thinkingKeeper(ctx, plan.translationFor(done.model).params)(carry).catch(() => undefined);
  if (done.cacheable && plan.cacheKey) ctx.savings.store(plan.cacheKey, message);
  const { options, input } = plan.normalized;
  if (options.store) {
    const entry = {
      id: plan.context.id,
      projectId: plan.project.id,
      ...(options.previousResponseId && { previousResponseId: options.previousResponseId }),
      createdMs: ctx.now(),
      inputItems: withItemIds(input, plan.context.id),
      response,
    };
    service.store.save(entry, service.retentionMs);
  }
  return response;
}
