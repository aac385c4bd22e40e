// The one window. Its web preferences are Electron's security checklist, written out literally here so
// that Electronegativity (in `npm test`) and test/electron/window-options.test.ts read the real values:
// context isolation, the sandbox, no Node in the renderer, its workers or sub-frames, web security on,
// no webview tag, no insecure content, no middle-click new windows, no navigation by drag and drop.

import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './security/app-protocol.js';
import { hardenWebContents } from './security/harden.js';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Assay',
    backgroundColor: '#f4f5f7',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    },
  });
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
