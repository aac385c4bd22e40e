// The one window: hardened web preferences, the app:// entry page, navigation and new windows denied.

import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './security/app-protocol.js';
import { hardenWebContents } from './security/harden.js';
import { secureWebPreferences } from './security/web-preferences.js';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Assay',
    backgroundColor: '#f6f7f9',
    webPreferences: secureWebPreferences(preloadPath),
  });
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
