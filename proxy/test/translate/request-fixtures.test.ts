import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deepFreeze, loadRequestFixtures, runRequestFixture } from './request-fixtures.ts';

const fixtures = loadRequestFixtures();

describe('request translation golden fixtures', () => {
  test('the fixture set is present', () => {
    assert.ok(fixtures.length >= 40, `expected at least 40 fixtures, found ${fixtures.length}`);
  });

  for (const fixture of fixtures) {
    test(fixture.name, () => {
      assert.deepStrictEqual(runRequestFixture(fixture), fixture.expected);
    });
  }
});

describe('request translation is deterministic', () => {
  for (const fixture of fixtures) {
    if ('error' in (fixture.expected as object)) continue;
    test(`${fixture.name}: same body, same bytes, input untouched`, () => {
      const frozen = { ...fixture, body: deepFreeze(structuredClone(fixture.body)), thinking: deepFreeze(structuredClone(fixture.thinking)) };
      const first = JSON.stringify(runRequestFixture(frozen));
      const second = JSON.stringify(runRequestFixture({ ...fixture, body: structuredClone(fixture.body) }));
      assert.equal(first, second);
    });
  }
});
