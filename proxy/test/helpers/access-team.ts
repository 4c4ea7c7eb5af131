// A stand-in for a Cloudflare Access team on 127.0.0.1: RSA keys made for the test, published as a JWKS at
// /cdn-cgi/access/certs like the real team domain does, and tokens signed with them (or forged on purpose).
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface AccessKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export interface AccessTeam {
  /** http://127.0.0.1:port, used as CF_ACCESS_TEAM_DOMAIN and as the tokens' issuer. */
  origin: string;
  aud: string;
  keys: AccessKey[];
  /** How many times the JWKS was fetched. */
  fetches(): number;
  /** Publishes a new key first and keeps the old one, as Access does when it rotates. */
  rotate(): AccessKey;
  token(claims?: Record<string, unknown>, options?: { key?: AccessKey; header?: Record<string, unknown> }): string;
  close(): Promise<void>;
}

export function makeAccessKey(kid: string): AccessKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startAccessTeam(aud = 'test-aud-tag-0123456789abcdef'): Promise<AccessTeam> {
  const keys = [makeAccessKey('key-1')];
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/cdn-cgi/access/certs') {
      res.writeHead(404).end();
      return;
    }
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    aud,
    keys,
    fetches: () => fetches,
    rotate() {
      const key = makeAccessKey(`key-${keys.length + 1}`);
      keys.unshift(key);
      return key;
    },
    token(claims = {}, options = {}) {
      const key = options.key ?? keys[0]!;
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', kid: key.kid, typ: 'JWT', ...options.header };
      const body = { iss: origin, aud: [aud], exp: now + 600, nbf: now - 10, iat: now - 10, sub: 'user-1', email: 'dev@example.com', ...claims };
      const signed = `${b64(header)}.${b64(body)}`;
      return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key.privateKey).toString('base64url')}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
