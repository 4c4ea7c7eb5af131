import type { GatewayConfig } from '../config/config.ts';
import { invalidRequest, GatewayError } from '../errors.ts';
import { findModel } from '../models/catalog.ts';

/**
 * How the upstream model was chosen; reported in X-Model-Source and the request log. `auto`: the client let the
 * gateway choose (the project's default model, or smart routing); `smart`: the smart router chose.
 */
export type ModelSource = 'exact' | 'alias' | 'prefix' | 'passthrough' | 'auto' | 'smart';

export interface ResolvedModel {
  requested: string;
  model: string;
  source: ModelSource;
}

type ModelSettings = Pick<GatewayConfig, 'defaultModel' | 'opusModel' | 'haikuModel' | 'modelPrefix'>;

/** The model id a client names to let the gateway choose. */
export const AUTO_MODEL = 'auto';

export function aliasTable(config: ModelSettings): Record<string, string> {
  return { sonnet: config.defaultModel, opus: config.opusModel, haiku: config.haikuModel, [AUTO_MODEL]: config.defaultModel };
}

export interface ResolveOptions {
  /** The calling project's default model (an id or an alias); `auto` resolves to it. */
  projectDefault?: string | null;
}

/** What `auto` means for a caller: the project's default model when it names one the gateway serves, else DEFAULT_MODEL. */
export function defaultModelFor(config: ModelSettings, projectDefault?: string | null): string {
  if (projectDefault) {
    const found = resolveUnprefixed(projectDefault.trim(), config);
    if (found && projectDefault.trim().toLowerCase() !== AUTO_MODEL) return found.model;
  }
  return config.defaultModel;
}

// Ids that look like Anthropic's but are newer than the built-in table go upstream unchanged: Anthropic decides.
const CLAUDE_ID = /^claude-[a-z0-9][a-z0-9.-]*$/;

/** Maps the model a client named to the Anthropic model that serves it, or throws a 404 in OpenAI's shape. */
export function resolveModel(requested: string, config: ModelSettings, options: ResolveOptions = {}): ResolvedModel {
  const name = requested.trim();
  if (name === '') throw invalidRequest('model must be a non-empty string', 'model');

  const prefix = config.modelPrefix;
  const unprefixed = prefix && name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
  if (unprefixed.toLowerCase() === AUTO_MODEL) {
    return { requested, model: defaultModelFor(config, options.projectDefault), source: 'auto' };
  }
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
    message: `The model '${requested}' does not exist or is not served by this gateway. Use a Claude model id, an alias (sonnet, opus, haiku, auto) or an id from GET /v1/models.`,
  });
}

/** The model a name resolves to, or undefined where resolveModel would refuse it (for lists such as a fallback chain). */
export function tryResolveModel(name: string, config: ModelSettings): string | undefined {
  try {
    return resolveModel(name, config).model;
  } catch {
    return undefined;
  }
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
