// The preload API, the renderer's only way out of the page (DESIGN §9).

import type { AssayApi } from '../../shared/ipc-contract.js';

declare global {
  interface Window {
    readonly assay: AssayApi;
  }
}

export function bridge(): AssayApi {
  return window.assay;
}
