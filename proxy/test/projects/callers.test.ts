// Who a presented key belongs to, as the key check asks on every request: the gateway and admin keys, project
// keys, and a project key revoked after it was used (a digest kept for speed never keeps a key working).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCallerDirectory, type CallerSources } from '../../src/projects/callers.ts';
import { openPolicy } from '../../src/projects/identity.ts';

const GATEWAY_KEY = 'cg-gateway-key-0123456789abcdef';
const ADMIN_KEY = 'cga-admin-key-0123456789abcdef';
const PROJECT_KEY = 'cgp_AbCdEfGhIjKlMnOpQrStUvWxYz012345';

function directory() {
  const live = new Map([[PROJECT_KEY, { keyId: 'pk_0001', projectId: 'alpha' }]]);
  let epoch = 0;
  const finds: string[] = [];
  const sources: CallerSources = {
    projects: { policy: (id) => openPolicy(id, id) },
    keys: {
      find: (secret) => {
        finds.push(secret);
        return live.get(secret);
      },
      touch: () => {},
    },
    epoch: () => epoch,
  };
  const identify = createCallerDirectory({ gatewayApiKey: GATEWAY_KEY, adminApiKey: ADMIN_KEY, enableMultiProject: true }, sources);
  const revoke = (key: string) => {
    live.delete(key);
    epoch++;
  };
  return { identify, revoke, finds };
}

test('each key opens what it should, on every request alike', () => {
  const { identify } = directory();
  for (let i = 0; i < 3; i++) {
    assert.equal(identify(GATEWAY_KEY, 'api')?.project.id, 'default');
    assert.equal(identify(GATEWAY_KEY, 'admin'), undefined, 'the gateway key never opens /admin');
    assert.equal(identify(ADMIN_KEY, 'admin')?.admin, true);
    assert.equal(identify(PROJECT_KEY, 'api')?.project.id, 'alpha');
    assert.throws(() => identify(PROJECT_KEY, 'admin'), /admin key/);
    assert.equal(identify(`${GATEWAY_KEY}x`, 'api'), undefined);
  }
});

test('a project key revoked after it was used is refused at once', () => {
  const { identify, revoke } = directory();
  assert.equal(identify(PROJECT_KEY, 'api')?.keyId, 'pk_0001');
  assert.equal(identify(PROJECT_KEY, 'api')?.keyId, 'pk_0001');
  revoke(PROJECT_KEY);
  assert.equal(identify(PROJECT_KEY, 'api'), undefined);
});

test('keys that open nothing are looked up every time, however often they are tried', () => {
  const { identify, finds } = directory();
  const guess = 'cgp_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
  for (let i = 0; i < 3; i++) assert.equal(identify(guess, 'api'), undefined);
  assert.deepEqual(finds, [guess, guess, guess]);
});
