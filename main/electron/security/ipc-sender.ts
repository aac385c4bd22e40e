// Every IPC message is checked for who sent it (DESIGN §9): only the top frame of the app's own page,
// served from app://assay, may call the API. A frame from anywhere else (file://, http(s)://, another
// app:// host, an iframe's about:blank) is refused.

import { APP_ORIGIN, hasOrigin } from './app-protocol.js';

export interface SenderFrame {
  readonly url: string;
  /** Null for the top-level frame of the window (Electron's WebFrameMain.parent); sub-frames are refused. */
  readonly parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined, origin: string = APP_ORIGIN): boolean {
  if (frame === null || frame === undefined || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return hasOrigin(url, origin) && frame.url.startsWith(`${origin}/`);
}
