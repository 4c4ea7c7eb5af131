// One usage record per batch request that ran, under the id `<batch id>-<index>` (recording it twice after a
// restart changes nothing: the store ignores a known id). Message Batches are billed at the price table's batch
// discount; requests the live fallback ran are billed at the live price.
import type { RequestRecord } from '../usage/request-record.ts';
import type { AnthropicUsageLike } from '../translate/usage.ts';
import { recordUsage } from '../usage/from-anthropic.ts';
import { buildUsageRecord, type UsageRecord } from '../usage/record.ts';
import type { Price } from '../usage/prices.ts';
import type { BatchRow, ItemRow } from './batch-store.ts';

export interface ItemUsageInput {
  batch: Pick<BatchRow, 'id' | 'projectId' | 'keyId' | 'createdMs'>;
  item: Pick<ItemRow, 'idx' | 'requestedModel' | 'model' | 'routeReason'>;
  /** Billed through Message Batches. */
  discounted: boolean;
  /** Anthropic's usage for the item, when it ran. */
  usage: AnthropicUsageLike | undefined;
  status: number;
  errorType: string | null;
  finishReason: string | null;
  endedAt: number;
  prices: ReadonlyMap<string, Price>;
}

export function batchItemUsage(input: ItemUsageInput): UsageRecord {
  const record: RequestRecord = {
    startedAt: input.batch.createdMs,
    stream: false,
    batch: input.discounted,
    finishReason: input.finishReason,
    ...(input.item.requestedModel !== null && { requestedModel: input.item.requestedModel }),
    ...(input.item.model !== null && { model: input.item.model }),
    ...(input.item.routeReason !== null && { routeReason: input.item.routeReason }),
    ...(input.errorType !== null && { errorType: input.errorType }),
    ...(input.usage && { usage: recordUsage(input.usage) }),
  };
  return buildUsageRecord({
    id: `${input.batch.id}-${input.item.idx}`,
    endpoint: 'batch',
    record,
    projectId: input.batch.projectId,
    keyId: input.batch.keyId,
    client: 'batch',
    status: input.status,
    endedAt: input.endedAt,
    prices: input.prices,
  });
}
