// Each security decision of the Electron shell (DESIGN §9), proved in plain Node: the pure predicates,
// and their wiring into a session, web contents and ipcMain, through fakes of the narrow interfaces
// harden.ts and ipc-register.ts take. Each test fails if its protection is removed or loosened.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createIpcHandlers, type Dialogs } from '../../main/electron/ipc-handlers.js';
import { registerIpcHandlers, UntrustedSenderError, type InvokeEventLike, type IpcMainLike } from '../../main/electron/ipc-register.js';
import { meetsEngineNode } from '../../main/electron/runtime-check.js';
import { APP_ORIGIN, resolveAppPath } from '../../main/electron/security/app-protocol.js';
import { contentSecurityPolicy, CSP_DIRECTIVES } from '../../main/electron/security/csp.js';
import { hardenSession, hardenWebContents, type HardenableSession, type HardenableWebContents, type PreventableEvent } from '../../main/electron/security/harden.js';
import { isTrustedSender } from '../../main/electron/security/ipc-sender.js';
import { isNavigationAllowed } from '../../main/electron/security/navigation.js';
import { shouldCancelRequest } from '../../main/electron/security/network.js';
import { serveAppRequest } from '../../main/electron/security/serve-app.js';
import { SettingsStore } from '../../main/electron/settings-store.js';
import type { Report } from '../../shared/report.js';

const work = mkdtempSync(join(tmpdir(), 'assay-electron-security-'));
after(() => rmSync(work, { recursive: true, force: true }));

function parseCsp(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('strict Content-Security-Policy', () => {
  test('nothing loads or connects but the app itself: no inline script, no eval, no network', () => {
    const csp = parseCsp(contentSecurityPolicy());
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'data:']);
    assert.deepEqual(csp.get('connect-src'), ["'none'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    for (const [name, values] of csp) {
      for (const value of values) assert.ok(!/unsafe|\*|^https?:|^ws/.test(value), `${name} ${value} loosens the policy`);
    }
  });

  test('the built page pins its one script by hash, in the CSP <meta> tag and as Subresource Integrity', () => {
    const html = readFileSync(fileURLToPath(new URL('../../renderer/index.html', import.meta.url)), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta, 'index.html has a CSP meta tag');
    const policy = meta[1]!.replace(/&#39;/g, "'");
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    const integrity = /integrity="sha256-([^"]+)"/.exec(scripts[0]!);
    assert.ok(integrity, 'the script tag carries integrity');
    assert.equal(policy, contentSecurityPolicy({ forMetaTag: true, scriptHashes: [integrity[1]!] }));
    assert.deepEqual(parseCsp(policy).get('script-src'), [`'sha256-${integrity[1]}'`]);
    assert.ok(!/<script>|\son[a-z]+=/i.test(html), 'no inline script or event handler attribute');
  });

  test('every app:// response carries the CSP header and nosniff', async () => {
    const root = join(work, 'renderer-csp');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    for (const url of [`${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/missing.js`, `${APP_ORIGIN}/../etc/passwd`]) {
      const response = await serveAppRequest({ url, method: 'GET' }, root);
      assert.equal(response.headers.get('content-security-policy'), contentSecurityPolicy(), url);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
    }
    assert.equal(Object.keys(CSP_DIRECTIVES).length >= 10, true);
  });
});

describe('app:// protocol instead of file://', () => {
  const root = join(work, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(work, 'secret.html'), 'outside the renderer');
  writeFileSync(join(work, 'secret.js'), 'outside the renderer');

  test('serves files of the renderer directory, with their types', async () => {
    const index = resolveAppPath(`${APP_ORIGIN}/`, root);
    assert.deepEqual(index, { ok: true, file: join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    const response = await serveAppRequest({ url: `${APP_ORIGIN}/assets/app.js?v=1#x`, method: 'GET' }, root);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await response.text(), 'export {};');
  });

  const refused = [
    `${APP_ORIGIN}/../secret.html`,
    `${APP_ORIGIN}/assets/../../secret.js`,
    `${APP_ORIGIN}/%2e%2e/secret.html`,
    `${APP_ORIGIN}/%2E%2E%2Fsecret.html`,
    `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2fsecret.js`,
    `${APP_ORIGIN}/..%5csecret.html`,
    `${APP_ORIGIN}/assets\\..\\..\\secret.js`,
    `${APP_ORIGIN}/%00index.html`,
    `${APP_ORIGIN}/%zz`,
    'app://evil/index.html',
    'app://assay.evil/index.html',
    'app://user@assay/index.html',
    'file:///etc/passwd',
    'https://assay/index.html',
  ];
  for (const url of refused) {
    test(`refuses ${url}`, async () => {
      const resolution = resolveAppPath(url, root);
      assert.equal(resolution.ok, false, JSON.stringify(resolution));
      const response = await serveAppRequest({ url, method: 'GET' }, root);
      assert.ok(response.status === 403 || response.status === 404, `${url}: ${response.status}`);
      assert.doesNotMatch(await response.text(), /outside the renderer/);
    });
  }

  test('an absolute-looking path stays inside the renderer directory', () => {
    assert.deepEqual(resolveAppPath(`${APP_ORIGIN}//etc/passwd.html`, root), { ok: true, file: join(root, 'etc', 'passwd.html'), mimeType: 'text/html; charset=utf-8' });
  });

  test('serves only GET and HEAD, and only known file types', async () => {
    assert.equal((await serveAppRequest({ url: `${APP_ORIGIN}/index.html`, method: 'POST' }, root)).status, 405);
    writeFileSync(join(root, 'notes.txt'), 'x');
    assert.equal((await serveAppRequest({ url: `${APP_ORIGIN}/notes.txt`, method: 'GET' }, root)).status, 404);
  });
});

interface FakeContents extends HardenableWebContents {
  readonly listeners: Map<string, ((event: PreventableEvent & { url: string }) => void)[]>;
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null;
}

function fakeContents(): FakeContents {
  const listeners = new Map<string, ((event: PreventableEvent & { url: string }) => void)[]>();
  const contents: FakeContents = {
    listeners,
    openHandler: null,
    on(event: string, listener: (event: PreventableEvent & { url: string }) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler) {
      contents.openHandler = handler;
    },
  };
  return contents;
}

function fire(contents: FakeContents, event: string, url: string): boolean {
  let prevented = false;
  for (const listener of contents.listeners.get(event) ?? []) listener({ url, preventDefault: () => (prevented = true) });
  return prevented;
}

describe('navigation and new windows denied', () => {
  test('the predicate allows only the app origin', () => {
    assert.equal(isNavigationAllowed(`${APP_ORIGIN}/index.html`), true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/index.html', 'app://assay.evil/', 'javascript:alert(1)', 'data:text/html,x', 'not a url']) {
      assert.equal(isNavigationAllowed(url), false, url);
    }
  });

  test('hardenWebContents prevents navigation and redirects away from the app, webviews, and every new window', () => {
    const contents = fakeContents();
    hardenWebContents(contents);
    assert.equal(fire(contents, 'will-navigate', 'https://example.com/'), true);
    assert.equal(fire(contents, 'will-navigate', 'file:///etc/passwd'), true);
    assert.equal(fire(contents, 'will-redirect', 'http://127.0.0.1/'), true);
    assert.equal(fire(contents, 'will-navigate', `${APP_ORIGIN}/index.html`), false);
    assert.equal(fire(contents, 'will-attach-webview', `${APP_ORIGIN}/index.html`), true);
    assert.ok(contents.openHandler !== null, 'a window-open handler is installed');
    for (const url of [`${APP_ORIGIN}/index.html`, 'https://example.com/', 'about:blank']) assert.deepEqual(contents.openHandler({ url }), { action: 'deny' });
  });
});

interface FakeSession extends HardenableSession {
  permissionRequest: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null;
  permissionCheck: ((webContents: unknown, permission: string) => boolean) | null;
  devicePermission: ((details: unknown) => boolean) | null;
  beforeRequest: ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | null;
  downloads: ((event: PreventableEvent) => void)[];
}

function fakeSession(): FakeSession {
  const session: FakeSession = {
    permissionRequest: null,
    permissionCheck: null,
    devicePermission: null,
    beforeRequest: null,
    downloads: [],
    setPermissionRequestHandler: (handler) => void (session.permissionRequest = handler),
    setPermissionCheckHandler: (handler) => void (session.permissionCheck = handler),
    setDevicePermissionHandler: (handler) => void (session.devicePermission = handler),
    webRequest: { onBeforeRequest: (listener) => void (session.beforeRequest = listener) },
    on: (_event, listener) => session.downloads.push(listener),
  };
  return session;
}

describe('permission requests denied', () => {
  const permissions = ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'hid', 'usb', 'serial', 'fileSystem', 'unknown'];
  test('every permission request and check is answered no', () => {
    const session = fakeSession();
    hardenSession(session);
    assert.ok(session.permissionRequest && session.permissionCheck && session.devicePermission, 'all three handlers installed');
    for (const permission of permissions) {
      let answer: boolean | null = null;
      session.permissionRequest(null, permission, (granted) => (answer = granted));
      assert.equal(answer, false, permission);
      assert.equal(session.permissionCheck(null, permission), false, permission);
    }
    assert.equal(session.devicePermission({ deviceType: 'usb' }), false);
  });

  test('downloads are prevented', () => {
    const session = fakeSession();
    hardenSession(session);
    let prevented = false;
    for (const listener of session.downloads) listener({ preventDefault: () => (prevented = true) });
    assert.equal(prevented, true);
  });
});

describe('every network request cancelled', () => {
  test('only app:// passes the session request filter', () => {
    const session = fakeSession();
    hardenSession(session);
    assert.ok(session.beforeRequest, 'onBeforeRequest installed');
    const decide = (url: string) => {
      let cancel: boolean | null = null;
      session.beforeRequest!({ url }, (response) => (cancel = response.cancel));
      return cancel;
    };
    assert.equal(decide(`${APP_ORIGIN}/index.html`), false);
    assert.equal(decide(`${APP_ORIGIN}/assets/index.js`), false);
    for (const url of ['https://rekor.sigstore.dev/api/v1/log', 'http://127.0.0.1:9000/bucket', 'ws://localhost/', 'wss://x/', 'file:///etc/passwd', 'ftp://x/', 'chrome-extension://x/', 'devtools://devtools/', 'blob:null/1', 'garbage']) {
      assert.equal(decide(url), true, url);
      assert.equal(shouldCancelRequest(url), true, url);
    }
  });
});

class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, (event: InvokeEventLike, request: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: InvokeEventLike, request: unknown) => Promise<unknown>) {
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.listeners.delete(channel);
  }
  invoke(channel: string, frame: { url: string; parent: unknown } | null, request: unknown): Promise<unknown> {
    const sent: unknown[] = [];
    return this.listeners.get(channel)!({ senderFrame: frame, sender: { send: (c, p) => sent.push([c, p]), isDestroyed: () => false } }, request);
  }
}

const noDialogs: Dialogs = { chooseBundle: async () => null, chooseTrustDir: async () => null, choosePolicy: async () => null };

describe('IPC sender checked', () => {
  test('the predicate accepts only the top frame of the app page', () => {
    assert.equal(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null }), true);
    for (const frame of [
      { url: `${APP_ORIGIN}/index.html`, parent: {} },
      { url: 'file:///work/dist/renderer/index.html', parent: null },
      { url: 'https://evil.example/', parent: null },
      { url: 'app://evil/index.html', parent: null },
      { url: 'app://assay.evil/index.html', parent: null },
      { url: 'about:blank', parent: null },
      { url: '', parent: null },
    ]) {
      assert.equal(isTrustedSender(frame), false, JSON.stringify(frame));
    }
    assert.equal(isTrustedSender(null), false);
  });

  test('registered handlers refuse an untrusted sender before any handler runs', async () => {
    let calls = 0;
    const settings = new SettingsStore(join(work, 'ipc-settings'));
    const service = createIpcHandlers({ settings, dialogs: { ...noDialogs, chooseBundle: async () => (calls++, '/x') } });
    const ipc = new FakeIpcMain();
    const unregister = registerIpcHandlers(ipc, service.handlers);
    assert.equal(ipc.listeners.size, Object.keys(service.handlers).length, 'every channel registered');
    await assert.rejects(ipc.invoke('dialog:choose-bundle', { url: 'https://evil.example/', parent: null }, { kind: 'directory' }), UntrustedSenderError);
    await assert.rejects(ipc.invoke('dialog:choose-bundle', { url: `${APP_ORIGIN}/index.html`, parent: {} }, { kind: 'directory' }), UntrustedSenderError);
    await assert.rejects(ipc.invoke('dialog:choose-bundle', null, { kind: 'directory' }), UntrustedSenderError);
    assert.equal(calls, 0);
    assert.equal(await ipc.invoke('dialog:choose-bundle', { url: `${APP_ORIGIN}/index.html`, parent: null }, { kind: 'directory' }), '/x');
    assert.equal(calls, 1);
    unregister();
    assert.equal(ipc.listeners.size, 0);
  });

  test('malformed requests are refused at the boundary', async () => {
    const service = createIpcHandlers({ settings: new SettingsStore(join(work, 'ipc-malformed')), dialogs: noDialogs });
    await assert.rejects(service.handlers['verify:run']({ jobId: 'a', source: 42 }, { emit: () => undefined }), /invalid request/);
    await assert.rejects(service.handlers['verify:run']({ jobId: '../x', source: '/b' }, { emit: () => undefined }), /invalid request/);
    await assert.rejects(service.handlers['dialog:choose-bundle']({ kind: 'anything' }, { emit: () => undefined }), /invalid request/);
    await assert.rejects(service.handlers['verify:run']({ jobId: 'a', source: '/b', extra: 1 }, { emit: () => undefined }), /invalid request/);
  });
});

describe('the handler module', () => {
  test('cancel aborts the engine through its AbortSignal', async () => {
    let seen: AbortSignal | undefined;
    const service = createIpcHandlers({
      settings: new SettingsStore(join(work, 'ipc-cancel')),
      dialogs: noDialogs,
      verify: (_source, options) =>
        new Promise<Report>((_resolve, reject) => {
          seen = options.signal;
          if (options.signal?.aborted) reject(options.signal.reason);
          options.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        }),
    });
    const running = service.handlers['verify:run']({ jobId: 'job-1', source: '/bundle' }, { emit: () => undefined });
    while (seen === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await service.handlers['verify:cancel']({ jobId: 'job-1' }, { emit: () => undefined }), true);
    assert.deepEqual(await running, { kind: 'cancelled' });
    assert.equal(seen?.aborted, true);
    assert.equal(await service.handlers['verify:cancel']({ jobId: 'job-1' }, { emit: () => undefined }), false, 'the job is gone');
  });

  test('a trust store without a policy is refused rather than silently ignored', async () => {
    const settings = new SettingsStore(join(work, 'ipc-half-trust'));
    await settings.setTrustDir('/trust');
    const service = createIpcHandlers({ settings, dialogs: noDialogs, verify: async () => assert.fail('verify must not run') });
    const outcome = await service.handlers['verify:run']({ jobId: 'j', source: '/b' }, { emit: () => undefined });
    assert.equal(outcome.kind, 'error');
  });
});

describe('session settings', () => {
  test('a damaged settings file gives the defaults; recent bundles are deduplicated and capped', async () => {
    const dir = join(work, 'settings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'assay-settings.json'), '{"version":1,"recent":"oops"');
    const store = new SettingsStore(dir);
    assert.deepEqual(await store.get(), { recent: [], trustDir: null, policyPath: null });
    for (let i = 0; i < 15; i += 1) await store.recordOpened(`/b${i}`, 'PASS');
    await store.recordOpened('/b3', 'FAIL');
    const reread = await new SettingsStore(dir).get();
    assert.equal(reread.recent.length, 10);
    assert.deepEqual(reread.recent[0], { ...reread.recent[0], source: '/b3', verdict: 'FAIL' });
    assert.equal(reread.recent.filter((r) => r.source === '/b3').length, 1);
  });
});

describe('the Node inside Electron meets the engine', () => {
  test('22.22.2+ in the 22 line, 24.15+ in the 24 line', () => {
    for (const ok of ['22.22.2', 'v22.23.0', '24.15.0', '24.20.1', '25.0.0', '26.1.0']) assert.equal(meetsEngineNode(ok), true, ok);
    for (const no of ['22.22.1', '22.12.0', '23.9.0', '24.14.9', '24.11.1', '20.20.2', 'garbage']) assert.equal(meetsEngineNode(no), false, no);
  });
});
