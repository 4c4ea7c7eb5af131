import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyId, keysMatch, presentedKey } from '../../src/projects/keys.ts';

test('keys are read from every header form clients use', () => {
  assert.equal(presentedKey({ authorization: 'Bearer abc' }), 'abc');
  assert.equal(presentedKey({ authorization: 'bearer   abc  ' }), 'abc');
  assert.equal(presentedKey({ 'x-api-key': 'def' }), 'def');
  assert.equal(presentedKey({ 'api-key': 'ghi' }), 'ghi');
  assert.equal(presentedKey({ authorization: 'Basic xyz' }), undefined);
  assert.equal(presentedKey({}), undefined);
});

test('comparison accepts only the exact key', () => {
  assert.equal(keysMatch('secret-key', 'secret-key'), true);
  assert.equal(keysMatch('secret-kez', 'secret-key'), false);
  assert.equal(keysMatch('secret-key-longer', 'secret-key'), false);
  assert.equal(keysMatch(undefined, 'secret-key'), false);
  assert.equal(keysMatch('', ''), false);
});

test('key ids are stable and reveal nothing of the key', () => {
  assert.equal(keyId('abc'), keyId('abc'));
  assert.notEqual(keyId('abc'), keyId('abd'));
  assert.doesNotMatch(keyId('abc'), /abc/);
});
