// Settings for the memory layer, batch processing and gateway-side plugin tools. Kept beside the main config so
// its reader stays one line there.
import type { EnvReader } from './env-readers.ts';

export type BatchBackendChoice = 'auto' | 'anthropic' | 'live';

export interface MemoryBatchToolsConfig {
  /** Remembers requirements, decisions and important answers per project and recalls them into new conversations. */
  enableMemoryLayer: boolean;
  /** An OpenAI-compatible embeddings endpoint (base URL or the full …/embeddings URL); unset: full-text recall. */
  embeddingApiUrl: string | undefined;
  embeddingApiKey: string | undefined;
  embeddingModel: string;
  /** Most tokens the recalled memories may take in a conversation's first message. */
  memoryTokenBudget: number;
  /** Most memories recalled into one conversation. */
  memoryMaxRecall: number;

  /** POST /v1/batch and the OpenAI /v1/batches + /v1/files flow. */
  enableBatchApi: boolean;
  /** `auto`: Anthropic's Message Batches, the live path when they are unavailable; or one of them only. */
  batchBackend: BatchBackendChoice;
  /** How often running batches are polled upstream. */
  batchPollMs: number;
  /** Requests in flight at once when a batch runs through the live path. */
  batchLiveConcurrency: number;

  /** Tools the gateway runs itself (repo_map, memory_search, DATA_DIR/plugins). */
  enablePluginTools: boolean;
  /** Time one plugin call may take before the model gets a timeout error instead. */
  pluginToolTimeoutMs: number;
  /** Upstream rounds one request may spend on plugin calls before the model must answer. */
  pluginToolMaxRounds: number;
}

export const MEMORY_BATCH_TOOLS_DEFAULTS: Readonly<MemoryBatchToolsConfig> = Object.freeze({
  enableMemoryLayer: false,
  embeddingApiUrl: undefined,
  embeddingApiKey: undefined,
  embeddingModel: 'text-embedding-3-small',
  memoryTokenBudget: 600,
  memoryMaxRecall: 8,
  enableBatchApi: false,
  batchBackend: 'auto' as BatchBackendChoice,
  batchPollMs: 30_000,
  batchLiveConcurrency: 4,
  enablePluginTools: false,
  pluginToolTimeoutMs: 30_000,
  pluginToolMaxRounds: 8,
});

export function readMemoryBatchTools(read: EnvReader): MemoryBatchToolsConfig {
  const d = MEMORY_BATCH_TOOLS_DEFAULTS;
  const embeddingUrl = read.string('EMBEDDING_API_URL');
  return {
    enableMemoryLayer: read.bool('ENABLE_MEMORY_LAYER', d.enableMemoryLayer),
    embeddingApiUrl: embeddingUrl === undefined ? undefined : read.url('EMBEDDING_API_URL', embeddingUrl),
    embeddingApiKey: read.string('EMBEDDING_API_KEY'),
    embeddingModel: read.string('EMBEDDING_MODEL', d.embeddingModel),
    memoryTokenBudget: read.int('MEMORY_TOKEN_BUDGET', d.memoryTokenBudget, { min: 0, max: 20_000 }),
    memoryMaxRecall: read.int('MEMORY_MAX_RECALL', d.memoryMaxRecall, { min: 0, max: 100 }),
    enableBatchApi: read.bool('ENABLE_BATCH_API', d.enableBatchApi),
    batchBackend: read.oneOf('BATCH_BACKEND', ['auto', 'anthropic', 'live'] as const, d.batchBackend),
    batchPollMs: read.number('BATCH_POLL_SECONDS', d.batchPollMs / 1000, { min: 0.01, max: 3600 }) * 1000,
    batchLiveConcurrency: read.int('BATCH_LIVE_CONCURRENCY', d.batchLiveConcurrency, { min: 1, max: 64 }),
    enablePluginTools: read.bool('ENABLE_PLUGIN_TOOLS', d.enablePluginTools),
    pluginToolTimeoutMs: read.number('PLUGIN_TOOL_TIMEOUT_SECONDS', d.pluginToolTimeoutMs / 1000, { min: 0.01, max: 600 }) * 1000,
    pluginToolMaxRounds: read.int('PLUGIN_TOOL_MAX_ROUNDS', d.pluginToolMaxRounds, { min: 1, max: 50 }),
  };
}
