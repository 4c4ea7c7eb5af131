// Cloudflare Access, verified rather than trusted. Behind Access every request arrives with the application token
// in `Cf-Access-Jwt-Assertion`: RS256, signed by the team's key, issued by the team domain, for the application's
// AUD tag. A request is let through only when all of that checks out; anything else (no token, a forged or
// expired one, keys that cannot be fetched) is refused. Service-token headers are never accepted on their own:
// Access consumes them at its edge and forwards a signed token instead.
import { claimsProblem, decodeJwt, signatureValid, type JwtClaims } from './jwt.ts';
import { createJwksCache, type FetchJwks } from './jwks-cache.ts';

export interface CfAccessOptions {
  /** `myteam.cloudflareaccess.com` or a full origin such as `https://myteam.cloudflareaccess.com`. */
  teamDomain: string;
  /** The Access application's AUD tag(s). */
  audiences: readonly string[];
  fetchJwks: FetchJwks;
  now: () => number;
  leewaySeconds?: number;
}

export type AccessVerdict = { ok: true; claims: JwtClaims } | { ok: false; reason: string };

export type CfAccessVerifier = (token: string | undefined) => Promise<AccessVerdict>;

/** The issuer Access writes into its tokens: the team domain as an https origin. */
export function teamOrigin(teamDomain: string): string {
  const trimmed = teamDomain.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? new URL(trimmed).origin : `https://${trimmed.toLowerCase()}`;
}

export function createCfAccessVerifier(options: CfAccessOptions): CfAccessVerifier {
  const issuer = teamOrigin(options.teamDomain);
  const jwks = createJwksCache({ url: `${issuer}/cdn-cgi/access/certs`, fetchJwks: options.fetchJwks, now: options.now });
  const leewaySeconds = options.leewaySeconds ?? 60;
  return async (token) => {
    if (!token) return { ok: false, reason: 'no Cf-Access-Jwt-Assertion header' };
    const jwt = decodeJwt(token);
    if (typeof jwt === 'string') return { ok: false, reason: jwt };
    if (jwt.header.alg !== 'RS256') return { ok: false, reason: 'algorithm is not RS256' };
    if (typeof jwt.header.kid !== 'string' || jwt.header.kid.length > 256) return { ok: false, reason: 'no key id' };
    const problem = claimsProblem(jwt.claims, { issuer, audiences: options.audiences, nowSeconds: Math.floor(options.now() / 1000), leewaySeconds });
    if (problem) return { ok: false, reason: problem };
    const key = await jwks.key(jwt.header.kid);
    if (!key) return { ok: false, reason: 'unknown signing key' };
    if (!signatureValid(jwt, key)) return { ok: false, reason: 'bad signature' };
    return { ok: true, claims: jwt.claims };
  };
}

/** Fetches a JWKS document over HTTPS (or HTTP to loopback), bounded in time and size. */
export async function fetchJwksDocument(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`JWKS fetch answered ${res.status}`);
  const text = await res.text();
  if (text.length > 256 * 1024) throw new Error('JWKS document too large');
  return JSON.parse(text) as unknown;
}
