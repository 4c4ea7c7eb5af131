// Who may talk to the gateway: Host-header check against DNS rebinding, origin lock, a verified Cloudflare Access
// token, and the API / admin keys. Health is open; everything else needs a key.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/config.ts';
import { GatewayError } from '../errors.ts';
import type { CfAccessVerifier } from '../access/cf-access.ts';
import type { IdentifyCaller } from '../projects/callers.ts';
import { keysMatch, presentedKey } from '../projects/keys.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Host header without its port. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export function installSecurity(app: FastifyInstance, config: GatewayConfig, identify: IdentifyCaller, cfAccess?: CfAccessVerifier): void {
  // A page on another site can make a browser send requests to 127.0.0.1 under its own hostname (DNS
  // rebinding); a gateway bound to loopback therefore only answers loopback names and configured public hosts.
  const checkHost = isLoopbackBind(config.host);
  const allowedHosts = new Set([...LOOPBACK_HOSTS, config.host.toLowerCase(), ...config.allowedHosts]);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const access = request.routeOptions.config.access ?? 'api';
    if (checkHost && !allowedHosts.has(hostName(request.headers.host))) {
      throw new GatewayError({
        status: 403,
        type: 'permission_error',
        code: 'host_not_allowed',
        message: `Host '${request.headers.host ?? ''}' is not allowed. Add it to ALLOWED_HOSTS to serve it.`,
      });
    }
    if (access === 'open') return;

    if (config.originSecret !== undefined) {
      const secret = request.headers['x-origin-secret'];
      if (!keysMatch(typeof secret === 'string' ? secret : undefined, config.originSecret)) {
        throw new GatewayError({ status: 403, type: 'permission_error', code: 'origin_secret_required', message: 'Missing or wrong X-Origin-Secret header.' });
      }
    }
    if (config.requireCfAccessHeaders) await checkCloudflareAccess(request, cfAccess);

    const key = presentedKey(request.headers);
    if (key === undefined) {
      throw new GatewayError({
        status: 401,
        type: 'authentication_error',
        code: 'missing_api_key',
        message: 'No API key provided. Send it as "Authorization: Bearer <key>", "X-API-Key: <key>" or "api-key: <key>".',
      });
    }
    // The gateway, admin or project key decides the caller's identity and so the project whose policy applies.
    const identity = identify(key, access);
    if (!identity) {
      throw new GatewayError({
        status: 401,
        type: 'authentication_error',
        code: 'invalid_api_key',
        message: access === 'admin' ? 'Invalid admin API key.' : 'Invalid API key.',
      });
    }
    request.identity = identity;
    request.record.keyId = identity.keyId;
    request.record.projectId = identity.project.id;
  });
}

// Fails closed: without a verifier (misconfigured host) nothing passes.
async function checkCloudflareAccess(request: FastifyRequest, verify: CfAccessVerifier | undefined): Promise<void> {
  const header = request.headers['cf-access-jwt-assertion'];
  const verdict = verify ? await verify(typeof header === 'string' ? header : undefined) : { ok: false as const, reason: 'verification is not configured' };
  if (verdict.ok) return;
  request.log.warn({ reason: verdict.reason }, 'Cloudflare Access token refused');
  throw new GatewayError({
    status: 403,
    type: 'permission_error',
    code: 'cf_access_required',
    message: `A valid Cloudflare Access token (Cf-Access-Jwt-Assertion) is required: ${verdict.reason}.`,
  });
}
