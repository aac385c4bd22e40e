// The Electron main process: one hardened window over the engine (DESIGN §9). Order matters: the app://
// scheme is registered as privileged before the app is ready; the session is hardened and the protocol
// handler installed before the window loads anything; IPC handlers check every sender.

import { app, dialog, ipcMain, Menu, protocol, session, type BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createIpcHandlers } from './ipc-handlers.js';
import { registerIpcHandlers } from './ipc-register.js';
import { nativeDialogs } from './dialogs.js';
import { buildMenu } from './menu.js';
import { meetsEngineNode } from './runtime-check.js';
import { APP_SCHEME } from './security/app-protocol.js';
import { hardenSession } from './security/harden.js';
import { serveAppRequest } from './security/serve-app.js';
import { SettingsStore } from './settings-store.js';
import { createMainWindow } from './window.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = join(here, '..', '..', 'renderer');
const PRELOAD_PATH = join(here, '..', '..', 'preload', 'preload.cjs');

// standard: app://assay/ is a real origin ('self' in the CSP matches it); secure: a secure context;
// corsEnabled: the page's module script is fetched in CORS mode. No fetch API, no service workers.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, corsEnabled: true } }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

async function start(): Promise<void> {
  if (!meetsEngineNode(process.versions.node)) {
    dialog.showErrorBox('Assay cannot start', `This Electron bundles Node ${process.versions.node}; the verification engine needs Node 22.22.2+ or 24.15+ (docs/runtime.md).`);
    app.exit(2);
    return;
  }
  await app.whenReady();
  const appSession = session.defaultSession;
  hardenSession(appSession);
  appSession.protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, RENDERER_DIR));

  const settings = new SettingsStore(app.getPath('userData'));
  const service = createIpcHandlers({ settings, dialogs: nativeDialogs(() => mainWindow), tempParent: app.getPath('temp') });
  registerIpcHandlers(ipcMain, service.handlers);
  app.on('before-quit', () => service.cancelAll());

  Menu.setApplicationMenu(buildMenu(() => mainWindow));
  mainWindow = createMainWindow(PRELOAD_PATH);
  mainWindow.on('closed', () => {
    service.cancelAll();
    mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow !== null) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  // Any web contents created later (there should be none) gets the same navigation rules.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  start().catch((error: unknown) => {
    dialog.showErrorBox('Assay could not start', error instanceof Error ? error.message : String(error));
    app.exit(2);
  });
}
