// The one contract between the renderer and the main process (DESIGN §1, §9): the request and response of
// every IPC channel, the events the main process pushes, and the `window.assay` API the preload script
// exposes. Pure types: the preload maps the API onto channels, main/electron/ipc-handlers.ts maps the
// channels onto the engine, and the compiler checks both against this file.

import type { Report, Verdict } from './report.js';

/** What the open dialog asks for: a bundle directory, or a bundle archive (.tar, .tar.gz/.tgz, .zip). */
export type BundleKind = 'directory' | 'archive';

export interface RecentBundle {
  /** The path the bundle was opened from. */
  readonly source: string;
  readonly openedAt: string;
  /** The verdict of the last verification, or null if it did not finish. */
  readonly verdict: Verdict | null;
}

/** Session settings, kept in a JSON file under the app's user-data directory. */
export interface AppSettings {
  readonly recent: readonly RecentBundle[];
  /** The assessor's trust store (a directory) and verification policy (a YAML file); both or neither. */
  readonly trustDir: string | null;
  readonly policyPath: string | null;
}

export interface VerifyRequest {
  /** Chosen by the renderer, so that progress events and a cancel can name the run before it ends. */
  readonly jobId: string;
  readonly source: string;
}

export type VerifyOutcome =
  | { readonly kind: 'report'; readonly report: Report }
  | { readonly kind: 'cancelled' }
  /** Verification could not run (unreadable input, invalid trust store or policy): no verdict. */
  | { readonly kind: 'error'; readonly message: string };

export interface VerifyProgress {
  readonly jobId: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Milliseconds since the run started, measured in the main process. */
  readonly elapsedMs: number;
}

/** Commands the application menu sends to the window. */
export type MenuCommand = 'open-directory' | 'open-archive' | 'close-report';

/** Request/response channels (`ipcRenderer.invoke` / `ipcMain.handle`). `null` means no argument. */
export interface InvokeContract {
  'settings:get': { readonly request: null; readonly response: AppSettings };
  'settings:forget-recent': { readonly request: { readonly source: string }; readonly response: AppSettings };
  'settings:clear-trust': { readonly request: null; readonly response: AppSettings };
  'dialog:choose-bundle': { readonly request: { readonly kind: BundleKind }; readonly response: string | null };
  'dialog:choose-trust': { readonly request: null; readonly response: AppSettings };
  'dialog:choose-policy': { readonly request: null; readonly response: AppSettings };
  'verify:run': { readonly request: VerifyRequest; readonly response: VerifyOutcome };
  'verify:cancel': { readonly request: { readonly jobId: string }; readonly response: boolean };
}

export type InvokeChannel = keyof InvokeContract;
export type InvokeRequest<C extends InvokeChannel> = InvokeContract[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeContract[C]['response'];

/** Events the main process sends to the window (`webContents.send` / `ipcRenderer.on`). */
export interface EventContract {
  'verify:progress': VerifyProgress;
  'menu:command': MenuCommand;
}

export type EventChannel = keyof EventContract;

/** The API the preload script exposes as `window.assay`: nothing else of Electron or Node is reachable. */
export interface AssayApi {
  getSettings(): Promise<AppSettings>;
  forgetRecent(source: string): Promise<AppSettings>;
  clearTrust(): Promise<AppSettings>;
  chooseBundle(kind: BundleKind): Promise<string | null>;
  chooseTrustDir(): Promise<AppSettings>;
  choosePolicy(): Promise<AppSettings>;
  verify(request: VerifyRequest): Promise<VerifyOutcome>;
  cancel(jobId: string): Promise<boolean>;
  onProgress(listener: (progress: VerifyProgress) => void): () => void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** The file-system path of a file or folder dropped on the window (a DOM `File`), or null. */
  pathForFile(file: unknown): string | null;
}

/** What the preload script (and the end-to-end harness) needs from its side of the bridge. */
export interface BridgeTransport {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  subscribe<E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void): () => void;
  pathForFile(file: unknown): string | null;
}
