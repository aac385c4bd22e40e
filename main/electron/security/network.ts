// The app is offline by construction (DESIGN §9): every request the session would make is cancelled
// unless it is for the app's own pages on app://. S3 reads, when they land, are made by the main
// process with its own client, never through the renderer's session.

import { APP_SCHEME } from './app-protocol.js';

export function shouldCancelRequest(url: string): boolean {
  try {
    return new URL(url).protocol !== `${APP_SCHEME}:`;
  } catch {
    return true;
  }
}
