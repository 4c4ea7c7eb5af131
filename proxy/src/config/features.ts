// Which features are on, as /health and /admin/settings report them.
import type { GatewayConfig } from './config.ts';

export function features(config: GatewayConfig): Record<string, boolean> {
  return {
    openaiChatCompletions: true,
    anthropicPassthrough: true,
    streaming: true,
    toolCalls: true,
    thinking: true,
    originSecret: config.originSecret !== undefined,
    cloudflareAccess: config.requireCfAccessHeaders,
    smartRouting: config.enableSmartRouting,
    retries: config.retryEnabled,
    circuitBreaker: config.circuitBreakerEnabled,
    fallbacks: config.fallbackChain.length > 0,
    rateLimiting: config.rateLimitEnabled,
    multiProject: config.enableMultiProject,
    memoryLayer: config.enableMemoryLayer,
    batchApi: config.enableBatchApi,
    pluginTools: config.enablePluginTools,
    tokenReduction: Object.values(config.reduction).some((v) => v === true),
    responseCache: config.cacheTtlSeconds > 0,
  };
}
