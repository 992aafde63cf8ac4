import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiServer, type UiServer } from '../../src/ui/ui-server.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';
import { seedUiWorld, type UiWorld } from './ui-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
/** Where the screenshots go (git-ignored: test-results/). */
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'ui');

// Flags from the machine notes: as root Chromium needs --no-sandbox, and without the
// background-networking flags it keeps dialling Google's hosts on a closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  process.stdout.write(`ui browser test skipped: ${CHROMIUM} is absent (apt-get install -y chromium)\n`);
}

describe.skipIf(!hasChromium)('ui in Chromium', () => {
  let db: TestDatabase;
  let home: string;
  let webRoot: string;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let world: UiWorld;
  const problems: string[] = [];

  beforeAll(async () => {
    // Build the page from web/ every time, into a scratch folder: the test checks the
    // sources as they are, not whatever dist/web an earlier build left.
    webRoot = tempDir('precog-web-');
    await build({
      configFile: path.join(ROOT, 'web', 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: webRoot, emptyOutDir: true },
    });
    db = await createTestDatabase('pglite');
    home = tempDir();
    world = await seedUiWorld(db, home);
    server = await createUiServer(db.db, { port: 0, webRoot });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
    for (const dir of [home, webRoot]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('opens Runs: every run with status, model and Brier against the best baseline', async () => {
    await page.goto(`${server.url}/#/runs`);
    const table = page.getByTestId('runs-table');
    await table.waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(3);
    const rowA = table.locator('tbody tr', { has: page.getByTestId(`run-link-${world.runA}`) });
    await expect(rowA.textContent()).resolves.toMatch(/logistic_nfl@1.*0\.2100\+0\.0050 vs closing_line/);
    // sort by Brier, best first: B (0.19), A (0.21), then C without metrics
    await page.getByRole('button', { name: /^Brier/ }).click();
    await page.waitForFunction('location.hash.includes("sort=brier")');
    await expect
      .poll(() => table.locator('tbody tr td:nth-child(2)').allTextContents())
      .toEqual([`#${world.runB}`, `#${world.runA}`, `#${world.runC}`]);
    await shot('runs');
  });

  it('selects two runs and compares their hyperparameters and metrics side by side', async () => {
    await expect(page.getByTestId('compare-button').isDisabled()).resolves.toBe(true);
    await page.getByTestId(`select-run-${world.runA}`).check();
    await page.getByTestId(`select-run-${world.runB}`).check();
    await page.getByTestId('compare-button').click();
    const hp = page.getByTestId('compare-hyperparameters');
    await hp.waitFor();
    const lr = hp.locator('tr', { hasText: 'learning_rate' });
    await expect(lr.getAttribute('class')).resolves.toContain('differs');
    await expect(lr.locator('td').allTextContents()).resolves.toEqual(['learning_rate', '0.1', '0.01']);
    const brier = page.getByTestId('compare-metrics').locator('tr', { hasText: 'overall.brier' });
    await expect(brier.locator('td.best').textContent()).resolves.toBe('0.1900');
    await page.getByTestId('compare-season-chart').waitFor();
    await shot('compare');
  });

  it("opens a run's per-season Brier chart and calibration plot", async () => {
    await page.locator('.run-chips a', { hasText: `#${world.runA}` }).click();
    const plot = page.getByTestId('calibration-plot');
    await plot.waitFor();
    // the two well-formed bins of run A; the malformed one was dropped by the API
    await expect(plot.locator('circle.bin').count()).resolves.toBe(2);
    await expect(page.getByTestId('season-chart').locator('polyline').count()).resolves.toBe(2);
    await expect(page.getByTestId('metrics-table').textContent()).resolves.toContain('closing_line');
    await plot.scrollIntoViewIfNeeded();
    await shot('run-calibration');
  });

  it('shows a run without calibration bins with a note instead of a plot', async () => {
    await page.goto(`${server.url}/#/runs/${world.runB}`);
    await page.getByText('No calibration bins were logged for this run.').waitFor();
    await expect(page.getByTestId('calibration-plot').count()).resolves.toBe(0);
  });

  it('opens a feature and draws the sparkline of one entity', async () => {
    await page.getByTestId('nav-features').click();
    await page.getByTestId('features-table').waitFor();
    await shot('features');
    await page.getByTestId('feature-link-rating@1').click();
    await page.getByTestId('feature-page').waitFor();
    await page.getByTestId('sparkline').waitFor();
    await page.getByTestId('entity-select').selectOption('BBB');
    await page.waitForFunction('location.hash.includes("entity=BBB")');
    // BBB played four games: a value before and after each label time
    await page.getByText(/^8 event times/).waitFor();
    await expect(page.getByTestId('sparkline').locator('polyline').count()).resolves.toBe(1);
    await shot('feature');
  });

  it('shows a dataset with its leakage audit, and the latest edges', async () => {
    await page.goto(`${server.url}/#/datasets/${world.datasetRef}`);
    await page.getByTestId('audit-table').waitFor();
    await expect(page.getByText('audit passed').count()).resolves.toBe(1);
    await shot('dataset');
    await page.getByTestId('nav-edges').click();
    const edges = page.getByTestId('edges-table');
    await edges.waitFor();
    await expect(edges.locator('tbody tr').first().textContent()).resolves.toMatch(/NFL-G8.*0\.650.*0\.550.*\+0\.100/);
    await shot('edges');
  });

  it('shows an unknown run as a clear not-found message', async () => {
    await page.goto(`${server.url}/#/runs/999999`);
    await expect(page.getByTestId('error').textContent()).resolves.toBe('Not found: no training run with id 999999');
  });

  it('logged no script errors', () => {
    // the 404 of the previous test is the only failed request the page saw
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
  });
});
