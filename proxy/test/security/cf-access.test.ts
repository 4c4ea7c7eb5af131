// Cloudflare Access tokens are verified, not trusted: RS256 against the team's published keys (fetched from a
// local stand-in of the team domain), with aud, iss, exp and nbf checked, key rotation followed, and every
// failure (forgery, wrong claims, keys out of reach) refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCfAccessVerifier, fetchJwksDocument, teamOrigin } from '../../src/access/cf-access.ts';
import { configFromEnv } from '../../src/config/env.ts';
import { makeAccessKey, startAccessTeam, type AccessTeam } from '../helpers/access-team.ts';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

let team: AccessTeam;
before(async () => {
  team = await startAccessTeam();
});
after(() => team.close());

const verifierFor = (fetchJwks = fetchJwksDocument, now: () => number = Date.now) =>
  createCfAccessVerifier({ teamDomain: team.origin, audiences: [team.aud], fetchJwks, now });

describe('forged and unfit tokens are refused', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => string, RegExp]> = [
    ['a bad signature', () => team.token().replace(/.{4}$/, 'AAAA'), /bad signature/],
    ['a token signed by a key the team never published', () => team.token({}, { key: makeAccessKey(team.keys[0]!.kid) }), /bad signature/],
    ['the wrong audience', () => team.token({ aud: ['another-app'] }), /wrong audience/],
    ['the wrong issuer', () => team.token({ iss: 'https://evil.cloudflareaccess.com' }), /wrong issuer/],
    ['an expired token', () => team.token({ exp: now() - 3600 }), /expired/],
    ['a token not valid yet', () => team.token({ nbf: now() + 3600 }), /not yet valid/],
    ['no expiry at all', () => team.token({ exp: undefined }), /no expiry/],
    ['alg none', () => `${Buffer.from('{"alg":"none","kid":"key-1"}').toString('base64url')}.${team.token().split('.')[1]}.`, /not a signed JWT|RS256/],
    ['alg HS256', () => team.token({}, { header: { alg: 'HS256' } }), /RS256/],
    ['an unknown kid', () => team.token({}, { header: { kid: 'made-up' } }), /unknown signing key/],
    ['garbage', () => 'not.a.jwt!', /not a signed JWT/],
    ['a huge header', () => 'a'.repeat(100_000), /too long/],
  ];
  for (const [name, token, reason] of cases) {
    test(name, async () => {
      const verdict = await verifierFor()(token());
      assert.equal(verdict.ok, false);
      assert.match(verdict.ok ? '' : verdict.reason, reason);
    });
  }

  test('a genuine token passes; a string aud is accepted like an array', async () => {
    const verify = verifierFor();
    assert.equal((await verify(team.token())).ok, true);
    assert.equal((await verify(team.token({ aud: team.aud }))).ok, true);
  });
});

describe('keys: cached, rotated, and failing closed', () => {
  test('keys are fetched once and then cached', async () => {
    const verify = verifierFor();
    const before = team.fetches();
    for (let i = 0; i < 5; i++) assert.equal((await verify(team.token())).ok, true);
    assert.equal(team.fetches() - before, 1);
  });

  test('a rotated key is picked up at the first token that names it; unknown kids do not flood the team', async () => {
    let skew = 0;
    const verify = verifierFor(fetchJwksDocument, () => Date.now() + skew);
    assert.equal((await verify(team.token())).ok, true);
    const fresh = team.rotate();
    skew += 31_000; // past the least time between two fetches
    const before = team.fetches();
    assert.equal((await verify(team.token({}, { key: fresh }))).ok, true);
    assert.equal(team.fetches() - before, 1);
    for (let i = 0; i < 20; i++) await verify(team.token({}, { header: { kid: `made-up-${i}` } }));
    assert.equal(team.fetches() - before, 1, 'made-up key ids are refused without refetching every time');
  });

  test('with the key server unreachable nothing passes', async () => {
    const verify = verifierFor(async () => {
      throw new Error('unreachable');
    });
    const verdict = await verify(team.token());
    assert.equal(verdict.ok, false);
  });
});

describe('configuration and the gateway', () => {
  test('REQUIRE_CF_ACCESS_HEADERS=1 needs the team domain and the AUD tag', () => {
    const base = { ANTHROPIC_API_KEY: 'k', GATEWAY_API_KEY: 'gateway-key-0123456789', ADMIN_API_KEY: 'admin-key-0123456789', DATA_DIR: '/tmp/x' };
    assert.throws(() => configFromEnv({ ...base, REQUIRE_CF_ACCESS_HEADERS: '1' }), /CF_ACCESS_TEAM_DOMAIN is required[\s\S]*CF_ACCESS_AUD is required/);
    assert.throws(() => configFromEnv({ ...base, REQUIRE_CF_ACCESS_HEADERS: '1', CF_ACCESS_TEAM_DOMAIN: 'http://evil.example', CF_ACCESS_AUD: 'a' }), /CF_ACCESS_TEAM_DOMAIN must be/);
    const config = configFromEnv({ ...base, REQUIRE_CF_ACCESS_HEADERS: '1', CF_ACCESS_TEAM_DOMAIN: 'myteam.cloudflareaccess.com', CF_ACCESS_AUD: 'a,b' });
    assert.deepEqual(config.cfAccessAudiences, ['a', 'b']);
    assert.equal(teamOrigin(config.cfAccessTeamDomain!), 'https://myteam.cloudflareaccess.com');
  });

  test('every non-health route refuses a forged token and takes a genuine one', async () => {
    const h: Harness = await startHarness({ config: { requireCfAccessHeaders: true, cfAccessTeamDomain: team.origin, cfAccessAudiences: [team.aud] } });
    try {
      const auth = { authorization: `Bearer ${GATEWAY_KEY}` };
      const forged = await h.app.inject({ method: 'GET', url: '/v1/models', headers: { ...auth, 'cf-access-jwt-assertion': team.token({ aud: ['x'] }) } });
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().error.code, 'cf_access_required');
      const messages = await h.app.inject({ method: 'POST', url: '/v1/messages', headers: { ...auth, 'cf-access-jwt-assertion': 'forged' }, payload: {} });
      assert.equal(messages.statusCode, 403);
      assert.equal(messages.json().type, 'error', 'Anthropic shape on /v1/messages');
      const genuine = await h.app.inject({ method: 'GET', url: '/v1/models', headers: { ...auth, 'cf-access-jwt-assertion': team.token() } });
      assert.equal(genuine.statusCode, 200);
    } finally {
      await h.close();
    }
  });
});
