// Wires the security decisions of this folder into a session and a window's web contents. Takes the
// Electron objects through the narrow interfaces below (no Electron import at run time), so plain-Node
// tests can hand it fakes and prove that each handler is installed and decides as the predicates say.

import { isNavigationAllowed, windowOpenDecision } from './navigation.js';
import { shouldCancelRequest } from './network.js';
import { isPermissionGranted } from './permissions.js';

export interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's `Session` this module uses. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  readonly webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
  };
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
}

/** The parts of Electron's `WebContents` this module uses. */
export interface HardenableWebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) => callback(isPermissionGranted(permission)));
  session.setPermissionCheckHandler((_webContents, permission) => isPermissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: shouldCancelRequest(details.url) }));
  session.on('will-download', (event) => event.preventDefault());
}

export function hardenWebContents(contents: HardenableWebContents): void {
  const guard = (event: PreventableEvent & { url: string }) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => windowOpenDecision(details.url));
}
