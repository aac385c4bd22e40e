// End-to-end harness (DESIGN §9): the built renderer in Debian's Chromium under playwright-core, served
// by the app's own app:// handler (serveAppRequest, with its CSP header) on 127.0.0.1, and given the
// `window.assay` API that the preload script builds (the very createAssayApi function, injected as
// source), backed by the same IPC handler module (createIpcHandlers) and the real engine. Only the
// native dialogs are replaced, by a queue the test fills.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { BundleKind, EventChannel, EventContract, InvokeChannel } from '../../shared/ipc-contract.js';
import { createIpcHandlers, type Dialogs, type IpcService } from '../../main/electron/ipc-handlers.js';
import { isTrustedSender } from '../../main/electron/security/ipc-sender.js';
import { serveAppRequest } from '../../main/electron/security/serve-app.js';
import { SettingsStore } from '../../main/electron/settings-store.js';
import { createAssayApi } from '../../preload/api.js';
import type { PageElement, PageWindow } from './page-globals.js';

export const CHROMIUM = process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium';
export const RENDERER_DIR = fileURLToPath(new URL('../../renderer', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));
export const VIEWPORT = { width: 1360, height: 900 };

/** Flags for a headless Chromium on a machine with no network and no GPU (docs/app.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--font-render-hinting=none',
];

export function chromiumMissingReason(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`;
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return `${RENDERER_DIR}/index.html not found: run npm run build first`;
  return null;
}

export async function launchChromium(): Promise<Browser> {
  const reason = chromiumMissingReason();
  if (reason !== null) throw new Error(reason);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface AppServer {
  readonly origin: string;
  /** Every request the server saw, as method and raw URL. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the built renderer through the app's own app:// handler, on a loopback port. */
export async function startAppServer(root: string = RENDERER_DIR): Promise<AppServer> {
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void serveAppRequest({ url: `${origin}${req.url ?? '/'}`, method: req.method ?? 'GET' }, root, origin).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${address.port}`;
  return { origin, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Native dialogs replaced by answers the test queues; an empty queue answers "cancelled". */
export class DialogQueue implements Dialogs {
  readonly bundles: (string | null)[] = [];
  readonly trustDirs: (string | null)[] = [];
  readonly policies: (string | null)[] = [];
  readonly asked: string[] = [];
  async chooseBundle(kind: BundleKind) {
    this.asked.push(`bundle:${kind}`);
    return this.bundles.shift() ?? null;
  }
  async chooseTrustDir() {
    this.asked.push('trust');
    return this.trustDirs.shift() ?? null;
  }
  async choosePolicy() {
    this.asked.push('policy');
    return this.policies.shift() ?? null;
  }
}

export interface AppPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly dialogs: DialogQueue;
  readonly settings: SettingsStore;
  readonly service: IpcService;
  /** Errors thrown in the page, console errors and CSP violations the page reported. */
  readonly problems: string[];
  /** Requests the page made to anywhere but the app's origin. */
  readonly foreignRequests: string[];
  close(): Promise<void>;
}

export interface OpenAppOptions {
  /** Paths that a dropped File with this name stands for (the preload's webUtils.getPathForFile). */
  readonly dropPaths?: Readonly<Record<string, string>>;
  readonly trustDir?: string;
  readonly policyPath?: string;
  /** Fixed clock for the reports, so screenshots are stable. */
  readonly now?: () => Date;
}

export async function openApp(browser: Browser, server: AppServer, options: OpenAppOptions = {}): Promise<AppPage> {
  const userData = await mkdtemp(join(tmpdir(), 'assay-e2e-userdata-'));
  const settings = new SettingsStore(userData, options.now);
  if (options.trustDir !== undefined) await settings.setTrustDir(options.trustDir);
  if (options.policyPath !== undefined) await settings.setPolicyPath(options.policyPath);
  const dialogs = new DialogQueue();
  const service = createIpcHandlers({ settings, dialogs, now: options.now });
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(`${server.origin}/`)) foreignRequests.push(request.url());
  });

  // The IPC transport: one binding, checked like ipcMain checks its senders, dispatching to the handlers.
  await page.exposeBinding('__assayInvoke', async (source, channel: InvokeChannel, request: unknown) => {
    if (!isTrustedSender({ url: source.frame.url(), parent: source.frame.parentFrame() }, server.origin)) {
      throw new Error(`IPC ${channel} refused: sender ${source.frame.url()} is not the app's page`);
    }
    const handler = service.handlers[channel];
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    const emit = <E extends EventChannel>(event: E, payload: EventContract[E]) => {
      void source.page.evaluate(([c, p]) => (globalThis as unknown as PageWindow).__assayDeliver(c, p), [event, payload] as const).catch(() => undefined);
    };
    return handler(request, { emit });
  });
  // The preload's own createAssayApi, as source, over a transport that forwards to the binding above.
  // Injected as an init script (before the page's own script, like a preload), then frozen and
  // read-only like contextBridge.exposeInMainWorld.
  await page.addInitScript({
    content: `(() => {
      const createAssayApi = ${createAssayApi.toString()};
      const dropPaths = ${JSON.stringify(options.dropPaths ?? {})};
      const listeners = new Map();
      const invoke = window.__assayInvoke;
      window.__assayDeliver = (channel, payload) => { for (const listener of listeners.get(channel) ?? []) listener(payload); };
      const transport = {
        invoke: (channel, request) => invoke(channel, request),
        subscribe: (channel, listener) => {
          const set = listeners.get(channel) ?? new Set();
          set.add(listener);
          listeners.set(channel, set);
          return () => { set.delete(listener); };
        },
        pathForFile: (file) => (file instanceof File && Object.hasOwn(dropPaths, file.name) ? dropPaths[file.name] : null),
      };
      Object.defineProperty(window, 'assay', { value: createAssayApi(transport), writable: false, configurable: false, enumerable: true });
    })();`,
  });
  await page.goto(`${server.origin}/index.html`);
  await page.getByRole('heading', { name: 'Verify an evidence bundle' }).waitFor();
  return {
    page,
    context,
    dialogs,
    settings,
    service,
    problems,
    foreignRequests,
    close: async () => {
      service.cancelAll();
      await context.close();
      await rm(userData, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** Presses Tab until `predicate` holds for the focused element, or fails after `max` presses. */
export async function tabUntil(page: Page, description: string, predicate: (element: PageElement) => boolean, max = 40): Promise<number> {
  for (let presses = 0; presses <= max; presses += 1) {
    const focused = await page.evaluateHandle(() => {
      const { document } = globalThis as unknown as PageWindow;
      return document.activeElement ?? document.body;
    });
    const ok = await focused.evaluate(predicate);
    await focused.dispose();
    if (ok) return presses;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${description}: not reached within ${max} Tab presses`);
}
