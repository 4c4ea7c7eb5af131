// buildGateway(config, deps): the whole gateway as a Fastify app that never listens by itself. The headless CLI,
// the desktop app and the tests all build this same app.
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { GatewayConfig } from '../config/config.ts';
import { createThinkingCache, type ThinkingCache } from '../store/thinking-cache.ts';
import { createAnthropicUpstream, type AnthropicUpstream } from '../upstream/anthropic-http.ts';
import { createModelDirectory, type ModelDirectory } from '../upstream/model-directory.ts';
import { GATEWAY_VERSION } from '../version.ts';
import { installErrorHandling } from './error-handler.ts';
import './fastify-types.ts';
import type { GatewayContext } from './gateway-context.ts';
import { logLine } from './request-log.ts';
import { registerChatCompletions } from './routes/chat-completions.ts';
import { registerHealth } from './routes/health.ts';
import { registerMessages } from './routes/messages.ts';
import { registerModels } from './routes/models.ts';
import { installSecurity } from './security.ts';

export interface GatewayDeps {
  upstream?: AnthropicUpstream;
  models?: ModelDirectory;
  thinking?: ThinkingCache;
  now?: () => number;
  newId?: () => string;
  /** pino options, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function randomId(): string {
  return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
}

export function buildGateway(config: GatewayConfig, deps: GatewayDeps = {}): FastifyInstance {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomId;
  const ctx: GatewayContext = {
    config,
    now,
    newId,
    upstream:
      deps.upstream ??
      createAnthropicUpstream({
        baseUrl: config.anthropicBaseUrl,
        apiKey: config.anthropicApiKey,
        headersTimeoutMs: config.upstreamTimeoutMs,
        bodyTimeoutMs: config.streamIdleTimeoutMs,
      }),
    models: deps.models ?? createModelDirectory({ baseUrl: config.anthropicBaseUrl, apiKey: config.anthropicApiKey, now }),
    thinking: deps.thinking ?? createThinkingCache(),
    activeStreams: new Set(),
  };

  const app = Fastify({
    logger: deps.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["api-key"]', 'req.headers["x-origin-secret"]'], censor: '[redacted]' },
    },
    // One line per request is written by the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `req_${newId()}`;
    },
  });

  app.decorateRequest('record', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.record = { startedAt: now() };
    reply.header('x-request-id', request.id);
    reply.header('x-gateway', `coding-gateway/${GATEWAY_VERSION}`);
  });
  app.addHook('onResponse', async (request, reply) => {
    const line = logLine(request, reply.statusCode, now());
    if (reply.statusCode >= 500) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  });

  installErrorHandling(app);
  installSecurity(app, config);

  const features = () => ({
    openaiChatCompletions: true,
    anthropicPassthrough: true,
    streaming: true,
    toolCalls: true,
    thinking: true,
    originSecret: config.originSecret !== undefined,
    cloudflareAccess: config.requireCfAccessHeaders,
  });

  registerHealth(app, ctx, features);
  registerModels(app, ctx);
  registerChatCompletions(app, ctx);
  registerMessages(app, ctx);

  app.addHook('onClose', async () => {
    for (const abort of ctx.activeStreams) abort.abort();
    if (!deps.upstream) await ctx.upstream.close();
  });
  app.decorate('gatewayContext', ctx);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    gatewayContext: GatewayContext;
  }
}
