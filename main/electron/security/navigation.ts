// Navigation and new windows (DESIGN §9): the window shows the app's one page and nothing else. A link in
// a bundle's text (rendered as text, so never a link) or any script cannot take the window elsewhere.

import { APP_ORIGIN, hasOrigin } from './app-protocol.js';

/** Allowed: only a load of the app's own page (app://assay/...), e.g. a reload. Everything else is denied. */
export function isNavigationAllowed(url: string, origin: string = APP_ORIGIN): boolean {
  try {
    return hasOrigin(new URL(url), origin) && url.startsWith(`${origin}/`);
  } catch {
    return false;
  }
}

/** New windows are never opened, whatever the URL (window.open, target=_blank, middle click). */
export function windowOpenDecision(_url: string): { action: 'deny' } {
  return { action: 'deny' };
}
