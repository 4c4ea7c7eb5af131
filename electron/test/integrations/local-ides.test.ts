import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { parseConfigYaml, validateConfigYaml } from '@continuedev/config-yaml';
import { parse as parseJsonc } from 'jsonc-parser';
import { BackupLedger } from '../../integrations/file-edit.ts';
import type { GatewayEndpoint } from '../../integrations/gateway-endpoint.ts';
import type { HomeContext } from '../../integrations/ide-paths.ts';
import { disableLocalIdes, enableLocalIdes, type LocalIdesContext } from '../../integrations/local-ides.ts';
import { ROO_IMPORT_SETTING } from '../../integrations/roo-config.ts';
import { FIXTURES, tempHome, type TempHome } from '../helpers/temp-home.ts';

const ENDPOINT: GatewayEndpoint = {
  baseUrl: 'http://127.0.0.1:8787/v1',
  apiKey: 'cg-test-gateway-key-0123456789',
  models: ['cg-sonnet', 'cg-opus', 'cg-haiku'],
};

let t: TempHome;
let ctx: LocalIdesContext;
beforeEach(() => {
  t = tempHome();
  const home: HomeContext = { home: t.home, platform: 'linux', env: {} };
  ctx = { home, dataDir: t.path('app-data'), ledger: new BackupLedger(t.path('app-data', 'ide-backups')) };
});
afterEach(() => t.remove());

const fixture = (name: string) => readFileSync(`${FIXTURES}/ides/${name}`);

describe('Continue', () => {
  test('adds gateway models that Continue’s own parser accepts, and restores the file byte for byte', () => {
    t.place('ides/continue-config.yaml', '.continue', 'config.yaml');
    const plan = enableLocalIdes(ctx, ENDPOINT, 'cg-');
    assert.deepEqual(plan.targets, ['Continue']);

    const written = t.read('.continue', 'config.yaml').toString('utf8');
    assert.match(written, /# My Continue setup — hand-edited, keep the comments\./, 'comments survive');
    const config = parseConfigYaml(written);
    assert.deepEqual(validateConfigYaml(config), []);
    const models = config.models as Array<Record<string, unknown>>;
    assert.deepEqual(
      models.map((m) => m.name),
      ['Llama 3.1 8B (local)', 'GPT-4o', 'Claude Sonnet (Coding Gateway)', 'Claude Opus (Coding Gateway)', 'Claude Haiku (Coding Gateway)'],
    );
    assert.deepEqual(models[2], {
      name: 'Claude Sonnet (Coding Gateway)',
      provider: 'openai',
      model: 'cg-sonnet',
      apiBase: 'http://127.0.0.1:8787/v1',
      apiKey: 'cg-test-gateway-key-0123456789',
      roles: ['chat', 'edit', 'apply'],
      capabilities: ['tool_use', 'image_input'],
    });

    // Enabling again (a new port or key) replaces our entries instead of adding more.
    enableLocalIdes(ctx, { ...ENDPOINT, baseUrl: 'http://127.0.0.1:9999/v1' }, 'cg-');
    const again = parseConfigYaml(t.read('.continue', 'config.yaml').toString('utf8'));
    assert.equal(again.models!.length, 5);
    assert.equal((again.models![4] as { apiBase: string }).apiBase, 'http://127.0.0.1:9999/v1');

    const outcomes = disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    assert.equal(outcomes.get('continue.config-yaml'), 'restored');
    assert.deepEqual(t.read('.continue', 'config.yaml'), fixture('continue-config.yaml'));
  });

  test('creates a valid config.yaml when Continue has none yet, and removes it again', () => {
    t.mkdir('.continue');
    enableLocalIdes(ctx, ENDPOINT, 'cg-');
    const config = parseConfigYaml(t.read('.continue', 'config.yaml').toString('utf8'));
    assert.deepEqual(validateConfigYaml(config), []);
    assert.equal(config.models!.length, 3);
    disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    assert.equal(existsSync(t.path('.continue', 'config.yaml')), false);
  });

  test('when the user edited the file since, only our entries go and their edit stays', () => {
    t.place('ides/continue-config.yaml', '.continue', 'config.yaml');
    enableLocalIdes(ctx, ENDPOINT, 'cg-');
    const file = t.path('.continue', 'config.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Always answer in British English.', 'Answer briefly.'));
    const outcomes = disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    assert.equal(outcomes.get('continue.config-yaml'), 'removed-ours');
    const expected = fixture('continue-config.yaml').toString('utf8').replace('Always answer in British English.', 'Answer briefly.');
    assert.equal(readFileSync(file, 'utf8'), expected);
  });

  test('leaves a config.json-only setup alone and says why', () => {
    t.mkdir('.continue');
    writeFileSync(t.path('.continue', 'config.json'), '{"models":[]}');
    const plan = enableLocalIdes(ctx, ENDPOINT, 'cg-');
    assert.deepEqual(plan.targets, []);
    assert.match(plan.skipped[0]!, /config\.json/);
    assert.equal(existsSync(t.path('.continue', 'config.yaml')), false);
  });
});

describe('Cline', () => {
  test('sets the OpenAI-compatible provider in globalState.json and the key in secrets.json, then restores both', () => {
    t.place('ides/cline-globalState.json', '.cline', 'data', 'globalState.json');
    t.place('ides/cline-secrets.json', '.cline', 'data', 'secrets.json');
    const plan = enableLocalIdes(ctx, ENDPOINT, 'cg-');
    assert.deepEqual(plan.targets, ['Cline']);

    const state = JSON.parse(t.read('.cline', 'data', 'globalState.json').toString('utf8'));
    assert.equal(state.actModeApiProvider, 'openai');
    assert.equal(state.planModeApiProvider, 'openai');
    assert.equal(state.openAiBaseUrl, 'http://127.0.0.1:8787/v1');
    assert.equal(state.actModeOpenAiModelId, 'cg-sonnet');
    assert.equal(state.planModeOpenAiModelId, 'cg-sonnet');
    assert.equal(state.actModeApiModelId, 'claude-sonnet-4-5-20250929', 'unrelated settings stay');
    assert.deepEqual(state.autoApprovalSettings.actions, { readFiles: true, editFiles: false });
    const secrets = JSON.parse(t.read('.cline', 'data', 'secrets.json').toString('utf8'));
    assert.deepEqual(secrets, { apiKey: 'sk-ant-user-own-anthropic-key', openAiApiKey: 'cg-test-gateway-key-0123456789' });

    disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    assert.deepEqual(t.read('.cline', 'data', 'globalState.json'), fixture('cline-globalState.json'));
    assert.deepEqual(t.read('.cline', 'data', 'secrets.json'), fixture('cline-secrets.json'));
  });

  test('when Cline rewrote its state meanwhile, our fields return to their old values and Cline’s changes stay', () => {
    t.place('ides/cline-globalState.json', '.cline', 'data', 'globalState.json');
    enableLocalIdes(ctx, ENDPOINT, 'cg-');
    const file = t.path('.cline', 'data', 'globalState.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    state.mode = 'plan';
    writeFileSync(file, JSON.stringify(state, null, 2));
    disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    const after = JSON.parse(readFileSync(file, 'utf8'));
    const original = JSON.parse(fixture('cline-globalState.json').toString('utf8'));
    assert.deepEqual(after, { ...original, mode: 'plan' });
  });

  test('a secrets file it creates is readable by the owner only', () => {
    t.mkdir('.cline');
    enableLocalIdes(ctx, ENDPOINT, 'cg-');
    assert.equal(statSync(t.path('.cline', 'data', 'secrets.json')).mode & 0o777, 0o600);
    disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    assert.equal(existsSync(t.path('.cline', 'data', 'secrets.json')), false);
    assert.equal(existsSync(t.path('.cline', 'data', 'globalState.json')), false);
  });
});

describe('Roo Code', () => {
  test('points Roo’s auto-import at a gateway profile in every editor where it is installed, keeping settings.json intact', () => {
    t.mkdir('.vscode', 'extensions', 'rooveterinaryinc.roo-cline-3.30.0');
    t.mkdir('.cursor', 'extensions', 'rooveterinaryinc.roo-cline-3.29.1');
    const vscodeSettings = t.place('ides/vscode-settings.json', '.config', 'Code', 'User', 'settings.json');
    const plan = enableLocalIdes(ctx, ENDPOINT, 'cg-');
    assert.deepEqual(plan.targets, ['Roo Code (VS Code)', 'Roo Code (Cursor)']);

    const importPath = t.path('app-data', 'integrations', 'roo-code-settings.json');
    const text = readFileSync(vscodeSettings, 'utf8');
    const original = fixture('vscode-settings.json').toString('utf8');
    // Exactly one line added; every comment, tab and trailing comma kept.
    assert.equal(text.split('\n').length, original.split('\n').length + 1);
    assert.ok(text.startsWith(original.slice(0, original.lastIndexOf('\n}'))));
    assert.equal((parseJsonc(text) as Record<string, unknown>)[ROO_IMPORT_SETTING], importPath);
    assert.match(text, /\n\t"roo-cline\.autoImportSettingsPath": /, 'indented with the file’s own tabs');

    const cursorSettings = JSON.parse(t.read('.config', 'Cursor', 'User', 'settings.json').toString('utf8'));
    assert.deepEqual(cursorSettings, { [ROO_IMPORT_SETTING]: importPath });

    const profile = JSON.parse(readFileSync(importPath, 'utf8'));
    assert.deepEqual(profile.providerProfiles.apiConfigs['Coding Gateway'], {
      id: 'coding-gateway',
      apiProvider: 'openai',
      openAiBaseUrl: 'http://127.0.0.1:8787/v1',
      openAiApiKey: 'cg-test-gateway-key-0123456789',
      openAiModelId: 'cg-sonnet',
    });
    assert.equal(profile.providerProfiles.currentApiConfigName, 'Coding Gateway');
    assert.equal(statSync(importPath).mode & 0o777, 0o600);

    disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    assert.deepEqual(readFileSync(vscodeSettings), fixture('vscode-settings.json'));
    assert.equal(existsSync(t.path('.config', 'Cursor', 'User', 'settings.json')), false);
    assert.equal(existsSync(importPath), false);
  });

  test('a settings.json edited meanwhile loses only our setting', () => {
    t.mkdir('.vscode', 'extensions', 'rooveterinaryinc.roo-cline-3.30.0');
    const file = t.place('ides/vscode-settings.json', '.config', 'Code', 'User', 'settings.json');
    enableLocalIdes(ctx, ENDPOINT, 'cg-');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"editor.fontSize": 14', '"editor.fontSize": 16'));
    disableLocalIdes(ctx, ENDPOINT, 'cg-', 'stamp1');
    const expected = fixture('vscode-settings.json').toString('utf8').replace('"editor.fontSize": 14', '"editor.fontSize": 16');
    assert.equal(readFileSync(file, 'utf8'), expected);
  });
});

test('nothing installed: nothing written', () => {
  const plan = enableLocalIdes(ctx, ENDPOINT, 'cg-');
  assert.deepEqual(plan, { targets: [], skipped: [], edits: [] });
  assert.equal(existsSync(t.path('app-data')), false);
});

test('all three at once are reverted together, and the originals stay in the backup history', () => {
  t.place('ides/continue-config.yaml', '.continue', 'config.yaml');
  t.place('ides/cline-globalState.json', '.cline', 'data', 'globalState.json');
  t.mkdir('.vscode', 'extensions', 'rooveterinaryinc.roo-cline-3.30.0');
  t.place('ides/vscode-settings.json', '.config', 'Code', 'User', 'settings.json');
  const plan = enableLocalIdes(ctx, ENDPOINT, 'cg-');
  assert.deepEqual(plan.targets, ['Continue', 'Cline', 'Roo Code (VS Code)']);
  const outcomes = disableLocalIdes(ctx, ENDPOINT, 'cg-', '20261101T000000');
  assert.deepEqual([...outcomes.values()], ['restored', 'restored', 'restored', 'restored', 'restored']);
  assert.deepEqual(t.read('.continue', 'config.yaml'), fixture('continue-config.yaml'));
  assert.deepEqual(t.read('.cline', 'data', 'globalState.json'), fixture('cline-globalState.json'));
  assert.deepEqual(t.read('.config', 'Code', 'User', 'settings.json'), fixture('vscode-settings.json'));
  const history = t.path('app-data', 'ide-backups', 'history', '20261101T000000-continue.config-yaml.json');
  const record = JSON.parse(readFileSync(history, 'utf8'));
  assert.deepEqual(Buffer.from(record.original, 'base64'), fixture('continue-config.yaml'));
});
