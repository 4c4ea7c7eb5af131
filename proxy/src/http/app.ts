// buildGateway(config, deps): the whole gateway as a Fastify app that never listens by itself. The headless CLI,
// the desktop app and the tests all build this same app.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createCfAccessVerifier, fetchJwksDocument, type CfAccessVerifier } from '../access/cf-access.ts';
import type { FetchJwks } from '../access/jwks-cache.ts';
import type { GatewayConfig } from '../config/config.ts';
import { createCallerDirectory } from '../projects/callers.ts';
import { createScaleOut, type ConnectionName } from '../shared-state/scale-out.ts';
import { openGatewayStore } from '../store/gateway-store.ts';
import { features } from '../config/features.ts';
import { registerRoutes } from './routes/index.ts';
import type { GatewayContext } from '../gateway/context.ts';
import { createGatewayContext, type GatewayDeps } from '../gateway/create-context.ts';
import { installMemoryBatchTools } from './install-extensions.ts';
import { GATEWAY_VERSION } from '../version.ts';
import { clientError, frameworkError, installErrorHandling } from './error-handler.ts';
import { installEdgeChecks } from './edge-checks.ts';
import { installHeaderPolicy } from './header-policy.ts';
import { installJsonBodyParser } from './json-body.ts';
import { closeUnusedConnectionsOnShutdown } from './idle-connections.ts';
import './fastify-types.ts';
import { randomId, timeOrderedId } from './random-id.ts';
import { writeRequestLog } from './request-log.ts';
import { installReliabilityHooks } from './reliability-hooks.ts';
import { installBudgetChecks } from './budget-hooks.ts';
import { createSharedBudgetStorage, createSqliteBudgetStorage } from '../budgets/budget-storage.ts';
import { createBudgetService } from '../budgets/budget-service.ts';
import { observeStore } from '../metrics/observe-store.ts';
import { installSecurity } from './security.ts';
import { installUsageRecorder } from './usage-recorder.ts';

export type { GatewayDeps };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const GATEWAY_HEADER = `coding-gateway/${GATEWAY_VERSION}`;

export { randomId };

export function buildGateway(config: GatewayConfig, deps: GatewayDeps = {}): FastifyInstance {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? timeOrderedId;
  let onStoreWriteError = (error: unknown) => console.error('usage batch not written (will retry):', error);
  // Opened first and synchronously: a database newer than this code stops the gateway here, saying so.
  const localStore =
    deps.store ??
    openGatewayStore({
      dataDir: config.dataDir,
      now,
      flushMs: config.usageFlushMs,
      batchSize: config.usageFlushBatch,
      onWriteError: (error) => onStoreWriteError(error),
    });
  let onConnectionChange = (name: ConnectionName, up: boolean, reason: string | null) => console.warn(`${name} ${up ? 'connected' : `unreachable: ${reason}`}`);
  // Redis (shared state), Postgres (replication) and metrics; every usage record is also counted in the metrics.
  const scaleOut = createScaleOut(config, localStore.db, { now, onConnectionChange: (name, up, reason) => onConnectionChange(name, up, reason) });
  // With Redis, every replica reads and charges the same budgets; without it, the local SQLite store.
  const budgets = createBudgetService(config.redisUrl ? createSharedBudgetStorage(scaleOut.shared.state) : createSqliteBudgetStorage(localStore.db, { flushMs: config.usageFlushMs }), now);
  // Every usage record (live requests and batch items alike) is charged to its project's and key's budgets.
  const store = observeStore(scaleOut.observe(localStore), { observeUsage: (r) => void budgets.spend(r.projectId, r.keyId, r.costUsd).catch(() => undefined) });
  const ctx = createGatewayContext(config, deps, { store, scaleOut, now, newId, budgets });

  const app = Fastify({
    logger: deps.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["api-key"]', 'req.headers["x-origin-secret"]'], censor: '[redacted]' },
    },
    // One line per request is written by the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    // Model ids in paths can be long (cloud ARNs); longer segments are refused in the API's own error shape.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `req_${newId()}`;
    },
  });

  onStoreWriteError = (error) => app.log.error({ err: error }, 'usage batch not written (will retry)');
  onConnectionChange = (name, up, reason) =>
    up ? app.log.info({ storage: name }, `${name} connected`) : app.log.warn({ storage: name, reason }, `${name} unreachable: serving on local state`);
  app.decorateRequest('record', null as never);
  app.decorateRequest('identity', null);
  // Hooks on every request take `done` instead of returning a promise: one less promise and microtask each.
  app.addHook('onRequest', (request, reply, done) => {
    request.record = { startedAt: now() };
    reply.header('x-request-id', request.id);
    reply.header('x-gateway', GATEWAY_HEADER);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    writeRequestLog(request, reply.statusCode, now());
    done();
  });

  installErrorHandling(app);
  installJsonBodyParser(app);
  installHeaderPolicy(app);
  // Before the key check: a project key made on another replica is fetched from Postgres first.
  scaleOut.install(app, { reliability: ctx.reliability, store, upstream: ctx.upstream });
  installSecurity(app, config, createCallerDirectory(config, store, now), cfAccessVerifier(config, deps.fetchJwks ?? fetchJwksDocument, now));
  installUsageRecorder(app, ctx, store);
  // Bad input is refused before the rate limiter charges for it.
  installEdgeChecks(app);
  installReliabilityHooks(app, ctx);
  installBudgetChecks(app, ctx.budgets);
  installMemoryBatchTools(app, ctx, { repoMap: () => ctx.savings.repoMap() });

  registerRoutes(app, ctx, () => features(config), () => ({ sqlite: store.file, ...scaleOut.settings() }));

  closeUnusedConnectionsOnShutdown(app);
  app.addHook('onClose', async () => {
    for (const abort of ctx.activeStreams) abort.abort();
    if (!deps.upstream) await ctx.upstream.close();
    if (!deps.models) await ctx.models.close?.();
    // What the router learned is written before the database closes.
    if (!deps.routingHistory) ctx.router.close();
    // Records written so far get a last chance to reach Postgres; the rest waits in the outbox.
    store.usage.flush();
    ctx.budgets.flush();
    await scaleOut.close();
    // Last: requests still ending above write their usage records first.
    if (!deps.store) store.close();
  });
  app.decorate('gatewayContext', ctx);
  return app;
}

function cfAccessVerifier(config: GatewayConfig, fetchJwks: FetchJwks, now: () => number): CfAccessVerifier | undefined {
  if (!config.requireCfAccessHeaders || !config.cfAccessTeamDomain) return undefined;
  return createCfAccessVerifier({ teamDomain: config.cfAccessTeamDomain, audiences: config.cfAccessAudiences, fetchJwks, now });
}

declare module 'fastify' {
  interface FastifyInstance {
    gatewayContext: GatewayContext;
  }
}
