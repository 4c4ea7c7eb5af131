// The dashboard in headless Chromium against a stand-in admin API with three weeks of history: sign-in, the
// states a live gateway rarely shows (empty, failing) and the layout of every page with plenty of data.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS, chartShapes, chromiumMissing, eventually, openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { ensureDashboardBuilt } from './helpers/build.ts';
import { MOCK_ADMIN_KEY, mockProject, sampleRecords, startMockAdmin, type MockAdmin } from './helpers/mock-admin.ts';

const skip = chromiumMissing();

describe('dashboard against the admin API contract', { skip, timeout: 60_000 }, () => {
  let mock: MockAdmin;
  let browser: Browser;
  const now = Date.now();

  before(async () => {
    await ensureDashboardBuilt();
    const created = new Date(now - 40 * 86_400_000).toISOString();
    mock = await startMockAdmin({
      records: sampleRecords(now),
      projects: [
        mockProject('default', 'Default', created, [{ id: 'pk_0', name: 'gateway', prefix: 'cgp_0a1b', createdAt: created, revokedAt: null, lastUsedAt: new Date(now - 120_000).toISOString() }]),
        mockProject('web-app', 'Web app', created),
        mockProject('data-pipeline', 'Data pipeline', created),
        mockProject('idle', 'Idle project', created),
      ],
      health: { upstreams: MOCK_UPSTREAMS },
      budgets: [mockBudget('web-app', 'soft', 212.4, 250), mockBudget('data-pipeline', 'exceeded', 101.2, 100), { ...mockBudget('pk_0', 'exceeded', 20.5, 20), scope: 'key' }],
    });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await mock?.close();
  });

  test('a wrong admin key is refused on the sign-in page, the right one opens the overview', async () => {
    const { page } = browser;
    await page.goto(`${mock.url}/dashboard/`);
    await page.fill('#admin-key', 'not-the-key');
    await page.click('button[type=submit]');
    assert.equal(await page.textContent('.field-error'), 'That key is not the admin key of this gateway.');
    await screenshot(page, 'mock-login-error');
    await page.fill('#admin-key', MOCK_ADMIN_KEY);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=headline]');
    assert.equal(await page.evaluate('sessionStorage.getItem("coding-gateway.admin-key")'), MOCK_ADMIN_KEY);
  });

  test('the overview draws every chart from weeks of history', async () => {
    const { page } = browser;
    for (const panel of ['chart-cost', 'chart-projects', 'chart-models', 'chart-latency-models', 'chart-latency-trend', 'chart-layers']) {
      const shapes = await chartShapes(page, `[data-testid=${panel}]`);
      assert.ok(shapes.some((s) => s.width > 0 && s.height > 0), `${panel} has a drawn series`);
    }
    const headline = await page.textContent('[data-testid=headline]');
    assert.match(headline ?? '', /Saved\$[\d,.]+/);
    assert.match((await page.textContent('[data-testid=cache-rates]')) ?? '', /Prompt cache reads\d+(\.\d)?%/);
    // Hovering a chart shows its tooltip (styled within the page's strict CSP).
    const box = (await page.locator('[data-testid=chart-cost] .recharts-wrapper > svg.recharts-surface').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.waitForSelector('[data-testid=chart-cost] .recharts-default-tooltip');
    assert.match((await page.textContent('[data-testid=chart-cost] .recharts-default-tooltip')) ?? '', /With the gateway.*\$[\d.]+/);
    await screenshot(page, 'mock-overview');
  });

  test('a project without traffic shows a deliberate empty state', async () => {
    const { page } = browser;
    await page.selectOption('[data-page=overview] select[aria-label=Project]', 'idle');
    await page.waitForSelector('[data-state=empty]');
    assert.equal(await page.textContent('[data-state=empty] .state-title'), 'No requests in this range yet');
    await screenshot(page, 'mock-overview-empty');
  });

  test('a failing admin API shows an error with a retry that recovers', async () => {
    const { page } = browser;
    mock.failing.add('/admin/usage');
    await page.reload();
    await page.waitForSelector('[data-state=error]');
    assert.match((await page.textContent('[data-state=error]')) ?? '', /The gateway had a problem.*The usage store is unavailable\..*HTTP 500/);
    await screenshot(page, 'mock-overview-error');
    mock.failing.delete('/admin/usage');
    await page.click('[data-state=error] button');
    await page.waitForSelector('[data-testid=headline]');
  });

  test('the request feed pages, filters and opens a request', async () => {
    const { page } = browser;
    await page.goto(`${mock.url}/dashboard/#/requests`);
    await page.waitForSelector('[data-testid=requests-table] tbody tr');
    assert.equal(await page.locator('[data-testid=requests-table] tbody tr').count(), 50);
    await screenshot(page, 'mock-requests', { fullPage: false });
    await page.click('text=Load older requests');
    await page.locator('[data-testid=requests-table] tbody tr').nth(99).waitFor();

    await page.selectOption('[data-page=requests] select[aria-label=Status]', '5xx');
    const statuses = await eventually(async () => {
      const cells = await page.$$eval('[data-testid=requests-table] tbody tr td:nth-child(4)', (els) => els.map((c) => c.textContent ?? ''));
      return cells.length > 0 && cells.every((s) => s.startsWith('5')) && cells;
    }, 'only server errors listed');
    assert.ok(statuses.every((s) => s === '502api_error'), statuses.join(','));

    await page.fill('[data-page=requests] input[type=search]', 'no-such-request-anywhere');
    await page.waitForSelector('[data-state=empty]');
    assert.equal(await page.textContent('[data-state=empty] .state-title'), 'No request matches these filters');
    await page.click('text=Clear filters');
    await page.waitForSelector('[data-testid=requests-table] tbody tr');

    const newest = [...mock.records].sort((a, b) => b.ts.localeCompare(a.ts))[0]!;
    await page.click(`tr[data-request-id="${newest.id}"]`);
    await page.waitForSelector('[data-page=request-detail] .facts');
    const detail = (await page.textContent('[data-page=request-detail]')) ?? '';
    assert.ok(detail.includes(newest.id));
    assert.ok(detail.includes(newest.routeReason!));
    // The newest mock request carried thinking: kept, removed by the gateway, and dropped by Anthropic.
    const thinking = (await page.textContent('[data-testid=thinking-detail]')) ?? '';
    assert.match(thinking, /Kept \(sent back\)3/);
    assert.match(thinking, /Removed by the gateway.*1/);
    assert.match(thinking, /Dropped by Anthropic1/);
    assert.ok(detail.includes('messages[2].content[0]: the conversation before it changed'), detail);
    assert.ok(detail.includes('drop_block'));
    await screenshot(page, 'mock-request-detail');
  });

  test('a project is created with its policy, gets a key shown once, and the key is revoked', async () => {
    const { page } = browser;
    await page.goto(`${mock.url}/dashboard/#/projects/default`);
    await page.waitForSelector('[data-testid=keys-table]');
    assert.match((await page.textContent('[data-testid=keys-table]')) ?? '', /cgp_0a1b…/);
    await screenshot(page, 'mock-projects');

    await page.click('text=New project');
    await page.click('[data-testid=project-form] button[type=submit]');
    assert.equal(await page.textContent('.field-error'), 'A project needs a name');
    await page.fill('[data-testid=project-form] input[name=name]', 'Mobile app');
    await page.fill('[data-testid=project-form] input[name=rateLimitRpm]', '90');
    await page.fill('[data-testid=project-form] input[name=allowedTools]', 'read_file, grep');
    await page.click('[data-testid=project-form] label:has(input[name="reduction.memory"])');
    await screenshot(page, 'mock-project-form', { fullPage: false });
    await page.click('[data-testid=project-form] button[type=submit]');
    await page.waitForSelector('[data-testid=project-detail] >> text=Mobile app');
    const created = mock.projects.find((p) => p.name === 'Mobile app');
    assert.ok(created);
    assert.equal(created.rateLimitRpm, 90);
    assert.deepEqual(created.allowedTools, ['read_file', 'grep']);
    assert.deepEqual(created.reduction, { memory: false });

    await page.click('[data-testid=keys-panel] >> text=Create key');
    await page.fill('#key-name', 'ci');
    await page.click('.modal-footer >> text=Create key');
    const key = (await page.textContent('[data-testid=new-key-value]'))!.trim();
    assert.match(key, /^cgp_/);
    await page.waitForSelector(`[data-testid=keys-table] >> text=${key.slice(0, 8)}…`);
    await screenshot(page, 'mock-key-created');
    await page.click('[data-testid=keys-table] >> text=Revoke');
    await page.click('.modal-footer >> text=Revoke key');
    await page.waitForSelector('[data-testid=keys-table] >> text=revoked');
    assert.ok(created.keys[0]!.revokedAt);
  });

  test('reports and settings render', async () => {
    const { page } = browser;

    await page.goto(`${mock.url}/dashboard/#/reports`);
    await chartShapes(page, '[data-testid=report]');
    await screenshot(page, 'mock-reports');
    // What the desktop app's print-to-PDF produces: the report alone, A4.
    const pdf = await page.pdf({ path: join(ARTIFACTS, 'mock-report.pdf'), format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');

    await page.goto(`${mock.url}/dashboard/#/settings`);
    await page.waitForSelector('[data-storage=redis]');
    await page.click('[data-storage=redis] button');
    await page.waitForSelector('[data-storage=redis] .test-result.good');
    await screenshot(page, 'mock-settings');
    assert.deepEqual(browser.pageErrors, []);
  });

  test('settings list the upstreams; projects near or over their budget are flagged', async () => {
    const { page } = browser;
    await page.goto(`${mock.url}/dashboard/#/settings`);
    await page.waitForSelector('[data-testid=upstreams-table] [data-upstream=aws]');
    assert.match((await page.textContent('[data-upstream=aws]')) ?? '', /bedrock · us-east-1\s*failing/);
    assert.match((await page.textContent('[data-upstream=team-b]')) ?? '', /drained\s*3%/);
    await screenshot(page, 'mock-settings-upstreams');

    await page.goto(`${mock.url}/dashboard/#/projects/web-app`);
    await page.waitForSelector('[data-testid=budget-status] >> text=near budget');
    await page.waitForSelector('[data-project-id=data-pipeline] >> text=over budget');
    await screenshot(page, 'mock-project-budget');

    // A key's own budget, in the keys table, edited in place.
    await page.goto(`${mock.url}/dashboard/#/projects/default`);
    await page.waitForSelector('[data-testid=keys-table] [data-testid=key-budget] >> text=spent');
    await page.click('[data-testid=keys-table] >> text=edit');
    await page.fill('.modal [data-testid=budget-form] input[name=limitUsd]', '500');
    await page.click('.modal [data-testid=budget-form] button[type=submit]');
    await page.waitForSelector('.modal [data-testid=budget-status] >> text=within budget');
    await screenshot(page, 'mock-key-budget');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=keys-table] [data-testid=key-budget] >> text=ok');
    assert.deepEqual(browser.pageErrors, []);
  });

  test('inside the desktop app the bridge replaces sign-in and makes settings editable', async () => {
    // The preload's bridge, faked: it records each call the page makes.
    await browser.context.addInitScript(`
      window.__calls = [];
      let desktop = { port: 8787, host: '127.0.0.1', anthropicKeySet: true, features: { responseCache: true, smartRouting: false } };
      window.gateway = {
        getConnection: async () => ({ baseUrl: location.origin, adminKey: ${JSON.stringify(MOCK_ADMIN_KEY)} }),
        getSettings: async () => desktop,
        updateSettings: async (patch) => { window.__calls.push(['updateSettings', patch]); desktop = { ...desktop, ...patch }; return desktop; },
        setAnthropicKey: async (key) => { window.__calls.push(['setAnthropicKey', key]); return { ok: true }; },
        testStorage: async (target) => { window.__calls.push(['testStorage', target]); return { ok: false, message: 'Connection refused' }; },
        printReportToPdf: async () => { window.__calls.push(['printReportToPdf']); return { path: '/home/user/Coding Gateway report.pdf' }; },
      };
    `);
    const page = await browser.context.newPage();
    try {
      await page.goto(`${mock.url}/dashboard/#/settings`);
      await page.waitForSelector('[data-testid=settings-desktop] input[role=switch]');
      assert.equal(await page.locator('[data-testid=login]').count(), 0, 'no sign-in inside the desktop app');
      await page.click('[data-testid=settings-desktop] label:has-text("Smart routing")');
      await page.fill('#anthropic-key', 'sk-ant-new-key');
      await page.click('text=Save key');
      await page.waitForSelector('text=Anthropic key saved to the system keychain.');
      await page.click('[data-storage=redis] button');
      await page.waitForSelector('[data-storage=redis] .test-result.bad >> text=Connection refused');
      await screenshot(page, 'mock-settings-desktop');

      await page.goto(`${mock.url}/dashboard/#/reports`);
      await page.click('text=Save as PDF');
      await page.waitForSelector('[data-testid=export-status] >> text=Saved /home/user/Coding Gateway report.pdf.');
      assert.deepEqual(await page.evaluate('window.__calls'), [
        ['updateSettings', { features: { responseCache: true, smartRouting: true } }],
        ['setAnthropicKey', 'sk-ant-new-key'],
        ['testStorage', 'redis'],
        ['printReportToPdf'],
      ]);
    } finally {
      await page.close();
    }
  });
});

function mockBudget(subject: string, state: 'ok' | 'soft' | 'exceeded', spent: number, limit: number) {
  return {
    scope: 'project',
    subject,
    period: 'month',
    limitUsd: limit,
    softPercent: 80,
    totalUsd: null,
    status: { state, exceeded: state === 'exceeded' ? 'period' : null, spend: { period: spent, total: spent }, periodStart: '2026-12-01T00:00:00.000Z', resetsAt: '2027-01-01T00:00:00.000Z' },
  };
}

const traffic = (requests: number, failovers: Partial<Record<'rate_limited' | 'overloaded' | 'server_error' | 'connection', number>>, lastError: string | null = null) => ({
  requests,
  answered: requests - Object.values(failovers).reduce((a, b) => a + (b ?? 0), 0),
  failovers: { rate_limited: 0, overloaded: 0, server_error: 0, connection: 0, ...failovers },
  lastError,
  lastErrorAt: lastError ? '2026-12-07T05:10:00.000Z' : null,
});

const MOCK_UPSTREAMS = [
  { name: 'team-a', provider: 'anthropic', state: 'healthy', config: { auth: 'api key' }, circuits: [], capacity: { remaining: 0.64, resetAt: '2026-12-07T05:11:00.000Z' }, traffic: traffic(1840, { rate_limited: 3 }) },
  { name: 'team-b', provider: 'anthropic', state: 'drained', config: { auth: 'api key' }, circuits: [], capacity: { remaining: 0.03, resetAt: '2026-12-07T05:11:00.000Z' }, traffic: traffic(920, { rate_limited: 12 }, 'HTTP 429: rate_limit_error') },
  { name: 'aws', provider: 'bedrock', state: 'failing', config: { region: 'us-east-1', auth: 'aws default chain' }, circuits: [{ model: 'claude-sonnet-4-5', state: 'open' }], capacity: null, traffic: traffic(310, { server_error: 7 }, 'HTTP 500: Amazon Bedrock: internal error') },
  { name: 'gcp', provider: 'vertex', state: 'healthy', config: { region: 'us-east5', projectId: 'acme', auth: 'application default credentials' }, circuits: [], capacity: null, traffic: traffic(455, {}) },
];
