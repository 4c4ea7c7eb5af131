// RS256 JSON Web Tokens checked with node:crypto alone: the token is split and decoded, its header must say
// RS256 (never "none", never HMAC), its signature must verify with the key named by `kid`, and its claims must
// hold at the injected time. Pure apart from the crypto call; no network.
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  sub?: unknown;
  email?: unknown;
  [claim: string]: unknown;
}

export interface DecodedJwt {
  header: { alg?: unknown; kid?: unknown; typ?: unknown };
  claims: JwtClaims;
  signedPart: string;
  signature: Buffer;
}

/** Tokens longer than this are refused before any decoding (Access tokens are about 1 KB). */
export const MAX_TOKEN_CHARS = 16 * 1024;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

function jsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The three parts of a compact JWS, or a reason it is not one. */
export function decodeJwt(token: string): DecodedJwt | string {
  if (token.length > MAX_TOKEN_CHARS) return 'token too long';
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return 'not a signed JWT';
  const header = jsonSegment(parts[0]!);
  const claims = jsonSegment(parts[1]!);
  if (!header || !claims) return 'undecodable JWT';
  return { header, claims, signedPart: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
}

/** A public key from a JWK as Access publishes them (RSA, used for signatures). */
export function publicKeyFromJwk(jwk: JsonWebKey): KeyObject | undefined {
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return undefined;
  try {
    return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export function signatureValid(jwt: DecodedJwt, key: KeyObject): boolean {
  try {
    return verify('RSA-SHA256', Buffer.from(jwt.signedPart), key, jwt.signature);
  } catch {
    return false;
  }
}

export interface ClaimRules {
  issuer: string;
  audiences: readonly string[];
  nowSeconds: number;
  /** Clock skew allowed on exp and nbf. */
  leewaySeconds: number;
}

/** Why the claims fail the rules, or undefined when they hold. `exp` is required; `nbf` is checked when present. */
export function claimsProblem(claims: JwtClaims, rules: ClaimRules): string | undefined {
  if (claims.iss !== rules.issuer) return 'wrong issuer';
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && rules.audiences.includes(aud))) return 'wrong audience';
  if (typeof claims.exp !== 'number') return 'no expiry';
  if (claims.exp + rules.leewaySeconds <= rules.nowSeconds) return 'expired';
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf - rules.leewaySeconds > rules.nowSeconds)) return 'not yet valid';
  return undefined;
}
