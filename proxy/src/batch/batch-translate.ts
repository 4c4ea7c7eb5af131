// Each batch request is translated exactly as the live chat path translates it: the project's default model
// and max_tokens cap, normalization, model resolution and toAnthropicRequest. A request that cannot be
// translated fails alone, with the error the live path would have answered.
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { GatewayConfig } from '../config/config.ts';
import { GatewayError } from '../errors.ts';
import { capabilitiesFor } from '../models/catalog.ts';
import type { ProjectPolicy } from '../projects/identity.ts';
import { capCapabilities, capMaxTokens, withDefaultModel } from '../projects/policy-apply.ts';
import { resolveModel } from '../routing/resolve-model.ts';
import { normalizeChatRequest } from '../translate/normalize.ts';
import { toAnthropicRequest } from '../translate/request.ts';
import type { BatchItemInput } from './batch-input.ts';

export interface ItemError {
  status: number;
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface PreparedItem {
  idx: number;
  customId: string;
  requestedModel: string | null;
  model: string | null;
  routeReason: string | null;
  /** The Anthropic request; null when translation failed. */
  params: MessageCreateParamsNonStreaming | null;
  customToolNames: string[];
  error: ItemError | null;
}

export function itemError(error: unknown): ItemError {
  const failure =
    error instanceof GatewayError
      ? error
      : new GatewayError({ status: 500, type: 'server_error', code: 'translation_failed', message: 'The request could not be translated.' });
  return { status: failure.status, error: failure.toJSON().error };
}

export function prepareItem(item: BatchItemInput, idx: number, config: GatewayConfig, policy: ProjectPolicy | undefined): PreparedItem {
  const base = { idx, customId: item.customId, requestedModel: null, model: null, routeReason: null, params: null, customToolNames: [] };
  let requestedModel: string | null = null;
  try {
    const chat = normalizeChatRequest(withDefaultModel(item.body, policy));
    requestedModel = chat.model;
    // A batch answer is never streamed.
    delete chat.stream;
    delete chat.stream_options;
    capMaxTokens(chat, policy);
    const resolved = resolveModel(chat.model, config, { projectDefault: policy?.defaultModel ?? null });
    const translated = toAnthropicRequest(chat, { model: resolved.model, capabilities: capCapabilities(capabilitiesFor(resolved.model), policy) });
    const { stream: _stream, ...params } = translated.params;
    return {
      ...base,
      requestedModel,
      model: resolved.model,
      routeReason: resolved.source,
      params: params as MessageCreateParamsNonStreaming,
      customToolNames: translated.customToolNames,
      error: null,
    };
  } catch (error) {
    return { ...base, requestedModel, error: itemError(error) };
  }
}
