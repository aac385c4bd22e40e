// What the assessor sees, end to end: the built renderer in Chromium, the preload API backed by the IPC
// handler module and the real engine. Opening the sample shows PASS; a flipped byte shows FAIL with the
// finding naming the file, reachable by keyboard alone; HTML in file names stays inert text; progress
// and cancel work while hashing. Each view's screenshot is written to docs/screenshots/.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { FLIPPED_FILE, HTML_FILE_NAME, HUGE_FILE, makeFixtures, SCRIPT_PATH, VARIANTS, type Fixtures } from './fixtures.js';
import type { PageWindow } from './page-globals.js';
import { chromiumMissingReason, launchChromium, openApp, screenshot, startAppServer, tabUntil, type AppPage, type AppServer } from './harness.js';

const FIXED_NOW = () => new Date('2026-11-02T10:30:00Z');
const missing = chromiumMissingReason();

let browser: Browser;
let server: AppServer;
let fixtures: Fixtures;

describe('the app in Chromium', { skip: missing ?? false }, () => {
  before(async () => {
    [browser, server, fixtures] = await Promise.all([launchChromium(), startAppServer(), makeFixtures()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    fixtures?.remove();
  });

  async function withApp(options: Parameters<typeof openApp>[2], body: (app: AppPage) => Promise<void>): Promise<void> {
    const app = await openApp(browser, server, { now: FIXED_NOW, ...options });
    try {
      await body(app);
      assert.deepEqual(app.problems, [], 'the page reported no errors or CSP violations');
      assert.deepEqual(app.foreignRequests, [], 'the page requested nothing outside the app');
    } finally {
      await app.close();
    }
  }

  test('the open view; the sample release opens from the dialog and shows PASS', async () => {
    await withApp({}, async ({ page, dialogs }) => {
      // Trust store and policy through their dialogs, then the bundle.
      dialogs.trustDirs.push(fixtures.trustDir);
      dialogs.policies.push(fixtures.policyPath);
      await page.getByRole('button', { name: 'Choose trust store…' }).click();
      await page.getByText(fixtures.trustDir, { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Choose policy…' }).click();
      await page.getByText(fixtures.policyPath, { exact: true }).waitFor();
      await screenshot(page, 'open');

      dialogs.bundles.push(fixtures.clean);
      await page.getByRole('button', { name: 'Open bundle folder…' }).click();
      const verdict = page.getByRole('heading', { level: 1, name: 'PASS' });
      await verdict.waitFor();
      assert.deepEqual(dialogs.asked, ['trust', 'policy', 'bundle:directory']);
      assert.match(await page.locator('.verdict').innerText(), /Every required check ran and passed/);
      const failedCount = await page.locator('.count--critical .count__number').innerText();
      assert.equal(failedCount, '0');
      await screenshot(page, 'verdict-pass');

      // Artefacts: every file OK, with expected = actual hashes.
      await page.getByRole('tab', { name: /Artefacts/ }).click();
      const rows = page.getByRole('listbox', { name: 'Artefacts' }).getByRole('option');
      await rows.first().waitFor();
      assert.ok((await rows.count()) > 5);
      assert.equal(await page.locator('.file-row--bad').count(), 0);
      await rows.first().click();
      await page.getByRole('region', { name: 'Artefact detail' }).getByText('Expected sha256').waitFor();
      await screenshot(page, 'artefacts');

      // Signatures: the keyless manifest signature with its signer identity, issuer, validity, log entry and timestamp.
      await page.getByRole('tab', { name: /Signatures/ }).click();
      const card = page.locator('article.signature').first();
      await card.waitFor();
      const text = await card.innerText();
      assert.match(text, /manifest\.sigstore\.json/);
      assert.match(text, /Signer\s+https:\/\/git\.nordlicht-bank\.example\/credit\/credit-risk-classifier\/\/\.gitlab-ci\.yml@refs\/tags\/v/);
      assert.match(text, /Issuer\s+https:\/\/git\.nordlicht-bank\.example/);
      assert.match(text, /Certificate validity\s+\S+ → \S+/);
      assert.match(text, /Transparency log entry\s+\d+/);
      assert.match(text, /Timestamp\s+\d{4}-/);
      await screenshot(page, 'signatures');

      // The recent list remembers the bundle and its verdict.
      await page.getByRole('button', { name: 'Open another bundle' }).click();
      const recent = page.getByRole('button', { name: `Verify again: ${fixtures.clean}` });
      await recent.waitFor();
      assert.equal(await page.locator('.recent__item .badge--verdict-pass').count(), 1);
    });
  });

  test(`a flipped byte in ${FLIPPED_FILE} shows FAIL, and the finding naming the file is reachable by keyboard alone`, async () => {
    const bundle = fixtures.variant('evaluation-record-byte-flipped');
    await withApp({ trustDir: fixtures.trustDir, policyPath: fixtures.policyPath }, async ({ page, dialogs }) => {
      dialogs.bundles.push(bundle);
      // Keyboard only from here: the open button has focus when the app starts.
      assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.textContent), 'Open bundle folder…');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'FAIL' }).waitFor();
      await tabUntil(page, 'the findings list', (el) => el.getAttribute('role') === 'listbox' && el.getAttribute('aria-label') === 'Findings');
      await page.keyboard.press('Enter');
      const detail = page.getByRole('region', { name: 'Finding detail' });
      await detail.getByRole('heading', { name: VARIANTS['evaluation-record-byte-flipped'].finding }).waitFor();
      assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.getAttribute('aria-label')), 'Finding detail', 'Enter moved focus to the detail');
      const text = await detail.innerText();
      assert.ok(text.includes(FLIPPED_FILE), `the detail names ${FLIPPED_FILE}: ${text}`);
      assert.match(text, /Why it matters/i);
      assert.match(text, /Evidence/i);
      await screenshot(page, 'findings-fail');
    });
  });

  test('HTML and script in file names are shown as inert text', async () => {
    const bundle = fixtures.variant('file-names-carrying-html');
    await withApp({ trustDir: fixtures.trustDir, policyPath: fixtures.policyPath }, async ({ page, dialogs }) => {
      dialogs.bundles.push(bundle);
      await page.getByRole('button', { name: 'Open bundle folder…' }).click();
      await page.getByRole('heading', { level: 1, name: 'FAIL' }).waitFor();
      const findings = page.getByRole('listbox', { name: 'Findings' });
      await findings.getByText(HTML_FILE_NAME, { exact: true }).first().waitFor();
      await findings.getByText(SCRIPT_PATH, { exact: true }).first().waitFor();
      await findings.getByRole('option').filter({ hasText: SCRIPT_PATH }).first().click();
      const detail = page.getByRole('region', { name: 'Finding detail' });
      await detail.getByRole('heading', { name: VARIANTS['file-names-carrying-html'].finding }).waitFor();
      assert.ok((await detail.innerText()).includes(SCRIPT_PATH), 'the detail shows the path as written');
      await page.getByRole('tab', { name: /Artefacts/ }).click();
      await page.getByRole('listbox', { name: 'Artefacts' }).getByText(HTML_FILE_NAME, { exact: true }).waitFor();
      const dom = await page.evaluate(() => {
        const page = globalThis as unknown as PageWindow;
        return {
          images: page.document.querySelectorAll('img').length,
          scripts: [...page.document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
          pwned: page.__pwned,
        };
      });
      assert.equal(dom.images, 0, 'no <img> element was created');
      assert.equal(dom.scripts.length, 1, 'no <script> element besides the app bundle');
      assert.match(dom.scripts[0] ?? '', /^\.\/assets\/index-.*\.js$/);
      assert.equal(dom.pwned, undefined, 'no injected code ran');
      await screenshot(page, 'html-inert');
    });
  });

  test('a bundle dropped on the window is verified', async () => {
    await withApp({ trustDir: fixtures.trustDir, policyPath: fixtures.policyPath, dropPaths: { 'bundle-folder': fixtures.clean } }, async ({ page }) => {
      await page.evaluate(() => {
        const { document, DataTransfer, DragEvent, File } = globalThis as unknown as PageWindow;
        const transfer = new DataTransfer();
        transfer.items.add(new File([], 'bundle-folder'));
        const target = document.querySelector('.app');
        target?.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        target?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await page.getByRole('heading', { level: 1, name: 'PASS' }).waitFor();
    });
  });

  test('progress shows bytes and throughput while hashing, and cancel stops the engine', async () => {
    const bundle = fixtures.variant('huge-unlisted-artefact');
    await withApp({ trustDir: fixtures.trustDir, policyPath: fixtures.policyPath }, async ({ page, dialogs }) => {
      dialogs.bundles.push(bundle);
      await page.getByRole('button', { name: 'Open bundle folder…' }).click();
      const bar = page.getByRole('progressbar', { name: "Hashing the bundle's files" });
      await bar.waitFor();
      await page.waitForFunction(() => Number((globalThis as unknown as PageWindow).document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) >= 5, undefined, { timeout: 30_000 });
      const stats = await page.locator('.progress__stats').innerText();
      assert.match(stats, /of .*GiB/);
      assert.match(stats, /\d+(\.\d)? [KMG]iB\/s/);
      await screenshot(page, 'progress');
      const cancelledAt = Date.now();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('status').filter({ hasText: 'was cancelled' }).waitFor({ timeout: 5_000 });
      assert.ok(Date.now() - cancelledAt < 5_000, 'cancel returned before the file was hashed');
      assert.ok((await page.getByText(HUGE_FILE).count()) === 0, 'no report was shown');
    });
  });
});

test('the end-to-end tests ran in Chromium', (t) => {
  // On CI (.ci/run installs chromium) a missing browser is a failure, not a quiet skip.
  if (missing !== null && process.env.CI !== undefined && process.env.CI !== '') assert.fail(missing);
  if (missing !== null) t.skip(missing);
});
