// The page's protections as Chromium enforces them, on the built renderer served by the app's own
// handler: the CSP blocks inline script, outbound connections and foreign images; path traversal
// against the protocol handler is refused on the wire; the API the page sees is frozen and read-only.

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissingReason, launchChromium, openApp, startAppServer, type AppPage, type AppServer } from './harness.js';
import type { PageWindow } from './page-globals.js';

const missing = chromiumMissingReason();

type Probe = PageWindow & {
  __inline?: unknown;
  fetch(url: string): Promise<unknown>;
  document: PageWindow['document'] & { createElement(tag: string): { textContent: string; src: string; onerror: unknown }; body: { append(node: unknown): void } };
  addEventListener(type: string, listener: (event: { violatedDirective: string }) => void): void;
  assay: object;
};

function rawGet(origin: string, path: string): Promise<number> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('page protections in Chromium', { skip: missing ?? false }, () => {
  let browser: Browser;
  let server: AppServer;
  let app: AppPage;
  let elsewhere: { port: number; connections: number; close(): void };

  before(async () => {
    [browser, server] = await Promise.all([launchChromium(), startAppServer()]);
    app = await openApp(browser, server);
    const sink = createServer((socket) => {
      elsewhere.connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    elsewhere = { port: (sink.address() as { port: number }).port, connections: 0, close: () => sink.close() };
  });
  after(async () => {
    await app?.close();
    await browser?.close();
    await server?.close();
    elsewhere?.close();
  });

  test('the CSP blocks inline script', async () => {
    const result = await app.page.evaluate(async () => {
      const page = globalThis as unknown as Probe;
      const violations: string[] = [];
      page.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = page.document.createElement('script');
      script.textContent = 'window.__inline = 1';
      page.document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { inline: page.__inline, violations };
    });
    assert.equal(result.inline, undefined, 'inline script did not run');
    assert.ok(result.violations.some((v) => v.startsWith('script-src')), result.violations.join(','));
  });

  test('the CSP blocks every connection and foreign image: nothing reaches another server', async () => {
    const port = elsewhere.port;
    const result = await app.page.evaluate(async (target) => {
      const page = globalThis as unknown as Probe;
      let fetched = 'blocked';
      try {
        await page.fetch(`http://127.0.0.1:${target}/data`);
        fetched = 'connected';
      } catch {
        // refused by connect-src 'none'
      }
      const image = page.document.createElement('img');
      image.src = `http://127.0.0.1:${target}/pixel.png`;
      page.document.body.append(image);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return fetched;
    }, port);
    assert.equal(result, 'blocked');
    assert.equal(elsewhere.connections, 0, 'no connection reached the other server');
  });

  test('path traversal against the protocol handler is refused on the wire', async () => {
    assert.equal(await rawGet(server.origin, '/index.html'), 200);
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fpackage.json', '/..\\..\\package.json']) {
      const status = await rawGet(server.origin, path);
      assert.ok(status === 403 || status === 404, `${path}: ${status}`);
    }
  });

  test('window.assay is frozen and cannot be replaced', async () => {
    const result = await app.page.evaluate(() => {
      const page = globalThis as unknown as Probe & Record<string, unknown>;
      const before = page.assay;
      try {
        page.assay = {};
      } catch {
        // read-only
      }
      return { same: page.assay === before, frozen: Object.isFrozen(page.assay) };
    });
    assert.deepEqual(result, { same: true, frozen: true });
  });
});
