// Sets up the memory layer, batch processing and plugin tools on a gateway being built: their services, their
// routes, and their start (plugins load, unfinished batches resume) and stop (batches pause, captures finish).
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { primaryAnthropic } from '../config/config.ts';
import { createAnthropicBatches } from '../batch/anthropic-batches.ts';
import { BatchService } from '../batch/batch-service.ts';
import { createBatchStore } from '../batch/batch-store.ts';
import { callDeps, type GatewayContext } from '../gateway/context.ts';
import { registerBatchRoutes } from './routes/batch.ts';
import { registerMemoryAdmin } from './routes/memory-admin.ts';
import { registerToolsAdmin } from './routes/tools-admin.ts';
import { createEmbedder } from '../memory/embeddings.ts';
import { createMemoryService } from '../memory/memory-service.ts';
import { createMemoryStore } from '../memory/memory-store.ts';
import type { RepoMapStore } from '../reduce/repo-map/store.ts';
import { memorySearchTool, repoMapTool } from '../tools/builtin-tools.ts';
import { ChatExtensions } from '../tools/chat-extensions.ts';
import { createExchangeStore } from '../tools/exchange-store.ts';
import { PLUGINS_DIR } from '../tools/plugin-loader.ts';
import { ToolRegistry } from '../tools/tool-registry.ts';

export interface ExtensionDeps {
  /** The token-reduction layer's repo map, for the repo_map tool (the tool says so when there is none). */
  repoMap?: () => RepoMapStore | undefined;
}

export interface InstalledExtensions {
  batches: BatchService | undefined;
}

export function installMemoryBatchTools(app: FastifyInstance, ctx: GatewayContext, deps: ExtensionDeps = {}): InstalledExtensions {
  const config = ctx.config;
  const warn = (error: unknown, what: string) => app.log.warn({ err: error }, what);

  // The store is there even with the layer off, so what was remembered can still be read and deleted.
  const memory = createMemoryService({
    store: createMemoryStore(ctx.store.db, ctx.now, ctx.newId),
    embedder: config.embeddingApiUrl
      ? createEmbedder({ url: config.embeddingApiUrl, apiKey: config.embeddingApiKey, model: config.embeddingModel })
      : undefined,
    budgetTokens: config.memoryTokenBudget,
    maxRecall: config.memoryMaxRecall,
    now: ctx.now,
    onError: warn,
  });
  registerMemoryAdmin(app, memory);

  const registry = new ToolRegistry([
    repoMapTool(deps.repoMap ?? (() => undefined)),
    ...(config.enableMemoryLayer ? [memorySearchTool(() => memory)] : []),
  ]);
  registerToolsAdmin(app, config, ctx.store, registry);
  if (config.enablePluginTools) {
    app.addHook('onReady', async () => {
      for (const problem of await registry.loadPlugins(join(config.dataDir, PLUGINS_DIR))) {
        app.log.warn({ file: problem.file }, `plugin not loaded: ${problem.message}`);
      }
    });
  }

  if (config.enableMemoryLayer || config.enablePluginTools) {
    ctx.chatExtensions = new ChatExtensions({
      calls: callDeps(ctx),
      config,
      memory: config.enableMemoryLayer ? memory : undefined,
      tools: config.enablePluginTools ? registry : undefined,
      exchanges: createExchangeStore(),
      onError: warn,
    });
  }

  let batches: BatchService | undefined;
  if (config.enableBatchApi) {
    const store = createBatchStore(ctx.store.db);
    const upstream =
      config.batchBackend === 'live'
        ? undefined
        : createAnthropicBatches({ ...primaryAnthropic(config), timeoutMs: config.upstreamTimeoutMs });
    batches = new BatchService({ ctx, store, upstream, log: app.log });
    registerBatchRoutes(app, batches, store);
    const service = batches;
    // With the batch API on, Anthropic's SDK loads as the gateway starts (not with the first batch); off, never.
    app.addHook('onReady', async () => {
      await upstream?.ready?.();
      service.start();
    });
  }

  // Before the store closes (onClose hooks run after this one).
  app.addHook('preClose', async () => {
    await batches?.stop();
    await memory.idle();
  });
  return { batches };
}
