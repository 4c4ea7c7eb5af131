import type { GatewayConfig } from '../config/config.ts';
import { invalidRequest, GatewayError } from '../errors.ts';
import { findModel } from '../models/catalog.ts';

/** How the upstream model was chosen; reported in X-Model-Source and the request log. */
export type ModelSource = 'exact' | 'alias' | 'prefix' | 'passthrough';

export interface ResolvedModel {
  requested: string;
  model: string;
  source: ModelSource;
}

type ModelSettings = Pick<GatewayConfig, 'defaultModel' | 'opusModel' | 'haikuModel' | 'modelPrefix'>;

export function aliasTable(config: ModelSettings): Record<string, string> {
  return { sonnet: config.defaultModel, opus: config.opusModel, haiku: config.haikuModel };
}

// Ids that look like Anthropic's but are newer than the built-in table go upstream unchanged: Anthropic decides.
const CLAUDE_ID = /^claude-[a-z0-9][a-z0-9.-]*$/;

/** Maps the model a client named to the Anthropic model that serves it, or throws a 404 in OpenAI's shape. */
export function resolveModel(requested: string, config: ModelSettings): ResolvedModel {
  const name = requested.trim();
  if (name === '') throw invalidRequest('model must be a non-empty string', 'model');

  const prefix = config.modelPrefix;
  if (prefix && name.startsWith(prefix) && name.length > prefix.length) {
    const inner = resolveUnprefixed(name.slice(prefix.length), config);
    if (inner) return { requested, model: inner.model, source: 'prefix' };
  }
  const direct = resolveUnprefixed(name, config);
  if (direct) return { requested, ...direct };

  throw new GatewayError({
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
    message: `The model '${requested}' does not exist or is not served by this gateway. Use a Claude model id, an alias (sonnet, opus, haiku) or an id from GET /v1/models.`,
  });
}

function resolveUnprefixed(name: string, config: ModelSettings): { model: string; source: ModelSource } | undefined {
  const lower = name.toLowerCase();
  const alias = aliasTable(config)[lower];
  if (alias) return { model: alias, source: 'alias' };
  const known = findModel(lower);
  if (known) return { model: lower, source: 'exact' };
  if (CLAUDE_ID.test(lower)) return { model: lower, source: 'passthrough' };
  return undefined;
}
