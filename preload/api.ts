// The `window.assay` API as a map from contract methods onto IPC channels. Self-contained on purpose (no
// imports at run time, no outer variables): the end-to-end harness injects this very function into the
// page as source text, so the tests drive the same mapping the app does.

import type { AssayApi, BridgeTransport } from '../shared/ipc-contract.js';

export function createAssayApi(transport: BridgeTransport): AssayApi {
  return Object.freeze({
    getSettings: () => transport.invoke('settings:get', null),
    forgetRecent: (source: string) => transport.invoke('settings:forget-recent', { source: String(source) }),
    clearTrust: () => transport.invoke('settings:clear-trust', null),
    chooseBundle: (kind: 'directory' | 'archive') => transport.invoke('dialog:choose-bundle', { kind: kind === 'archive' ? 'archive' : 'directory' }),
    chooseTrustDir: () => transport.invoke('dialog:choose-trust', null),
    choosePolicy: () => transport.invoke('dialog:choose-policy', null),
    verify: (request: { jobId: string; source: string }) => transport.invoke('verify:run', { jobId: String(request.jobId), source: String(request.source) }),
    cancel: (jobId: string) => transport.invoke('verify:cancel', { jobId: String(jobId) }),
    onProgress: (listener: Parameters<AssayApi['onProgress']>[0]) => transport.subscribe('verify:progress', (p) => listener(p)),
    onMenuCommand: (listener: Parameters<AssayApi['onMenuCommand']>[0]) => transport.subscribe('menu:command', (c) => listener(c)),
    pathForFile: (file: unknown) => transport.pathForFile(file),
  });
}
