import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../src/config/env-readers.ts';
import { DEFAULT_REDUCTION_SETTINGS, reductionSettingsFromEnv, settingsForProject } from '../../src/reduce/settings.ts';

describe('reduction settings', () => {
  test('defaults with no variables set', () => {
    assert.deepEqual(reductionSettingsFromEnv({}), DEFAULT_REDUCTION_SETTINGS);
  });

  test('reads every flag', () => {
    const s = reductionSettingsFromEnv({
      STRIP_IDE_BOILERPLATE: '0',
      SYSTEM_MAX_CHARS: '5000',
      USER_MSG_MAX_CHARS: '6000',
      TOOL_RESULT_MAX_CHARS: '7000',
      ENABLE_ANTHROPIC_CACHE_CONTROL: 'false',
      PROMPT_CACHE_TTL: '1h',
      ENABLE_FILE_HASH_CACHE: 'no',
      FILE_HASH_CACHE_TTL: '60',
      ENABLE_CONTEXT_PRUNING: 'off',
      CONTEXT_MAX_TOKENS: '32000',
      ENFORCE_DIFF_FIRST: '0',
      ENABLE_REPO_MAP: '0',
    });
    assert.deepEqual(s, {
      stripIdeBoilerplate: false,
      systemMaxChars: 5000,
      userMsgMaxChars: 6000,
      toolResultMaxChars: 7000,
      anthropicCacheControl: false,
      promptCacheTtl: '1h',
      fileHashCache: false,
      fileHashCacheTtlSeconds: 60,
      contextPruning: false,
      contextMaxTokens: 32000,
      enforceDiffFirst: false,
      repoMap: false,
    });
  });

  test('invalid values throw, naming every bad variable', () => {
    assert.throws(
      () => reductionSettingsFromEnv({ CONTEXT_MAX_TOKENS: 'lots', STRIP_IDE_BOILERPLATE: 'maybe', PROMPT_CACHE_TTL: '2h' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        err.problems.some((p) => p.startsWith('CONTEXT_MAX_TOKENS')) &&
        err.problems.some((p) => p.startsWith('STRIP_IDE_BOILERPLATE')) &&
        err.problems.some((p) => p.startsWith('PROMPT_CACHE_TTL')),
    );
    assert.throws(() => reductionSettingsFromEnv({ TOOL_RESULT_MAX_CHARS: '-1' }), /TOOL_RESULT_MAX_CHARS must be an integer >= 0/);
  });

  test('a project can switch layers off, never on', () => {
    const off = settingsForProject(DEFAULT_REDUCTION_SETTINGS, { strip: false, caps: false, prune: false, repoMap: true });
    assert.equal(off.stripIdeBoilerplate, false);
    assert.equal(off.toolResultMaxChars, 0);
    assert.equal(off.contextPruning, false);
    assert.equal(off.fileHashCache, true);
    const base = { ...DEFAULT_REDUCTION_SETTINGS, repoMap: false };
    assert.equal(settingsForProject(base, { repoMap: true }).repoMap, false);
    assert.equal(settingsForProject(base, undefined), base);
  });

  test("a project's requests share one settings object while its switches and the gateway's settings stay", () => {
    const switches = { strip: false };
    const first = settingsForProject(DEFAULT_REDUCTION_SETTINGS, switches);
    assert.equal(settingsForProject(DEFAULT_REDUCTION_SETTINGS, switches), first);
    const edited = { strip: false, prune: false };
    assert.equal(settingsForProject(DEFAULT_REDUCTION_SETTINGS, edited).contextPruning, false, 'an edited policy is a new switches object');
    const otherBase = { ...DEFAULT_REDUCTION_SETTINGS, fileHashCache: false };
    const narrowed = settingsForProject(otherBase, switches);
    assert.notEqual(narrowed, first);
    assert.equal(narrowed.fileHashCache, false);
    assert.equal(narrowed.stripIdeBoilerplate, false);
  });
});
