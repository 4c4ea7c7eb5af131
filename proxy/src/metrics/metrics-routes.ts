// GET /admin/metrics (the admin key; Prometheus' text format) and the in-flight request gauge's hooks.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

const ROUTE_ENDPOINTS: Record<string, string> = {
  '/v1/chat/completions': 'chat',
  '/chat/completions': 'chat',
  '/v1/messages': 'messages',
  '/v1/messages/count_tokens': 'count_tokens',
  '/v1/responses': 'responses',
  '/responses': 'responses',
  '/v1/responses/input_tokens': 'count_tokens',
  '/responses/input_tokens': 'count_tokens',
};

/** The endpoint label of an API request, from its route (known before the handler runs). */
export function endpointLabel(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? '';
  if (ROUTE_ENDPOINTS[url]) return ROUTE_ENDPOINTS[url];
  if (url.startsWith('/v1/batch')) return 'batch';
  if (url.includes('models')) return 'models';
  return 'other';
}

export function installMetrics(app: FastifyInstance, metrics: GatewayMetrics | undefined): void {
  if (metrics) {
    app.addHook('onRequest', (request, reply, done) => {
      if (request.routeOptions.config?.access === 'api') {
        // 'close' comes once per response, finished or cut off, so the gauge never leaks.
        reply.raw.once('close', metrics.requestStarted(endpointLabel(request)));
      }
      done();
    });
  }

  app.get('/admin/metrics', { config: { access: 'admin', errorShape: 'openai' } }, async (request, reply) => {
    request.record.endpoint = 'admin';
    if (!metrics) {
      throw new GatewayError({ status: 404, type: 'not_found_error', code: 'metrics_disabled', message: 'Prometheus metrics are off (PROMETHEUS_ENABLED=0).' });
    }
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });
}
