// The native open dialogs behind the contract's dialog:* channels.

import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { BundleKind } from '../../shared/ipc-contract.js';
import type { Dialogs } from './ipc-handlers.js';

const ARCHIVE_FILTERS = [
  { name: 'Bundle archives (.tar, .tar.gz, .tgz, .zip)', extensions: ['tar', 'gz', 'tgz', 'zip'] },
  { name: 'All files', extensions: ['*'] },
];

export function nativeDialogs(window: () => BrowserWindow | null): Dialogs {
  async function pick(options: OpenDialogOptions): Promise<string | null> {
    const owner = window();
    const result = owner === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(owner, options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }
  return {
    chooseBundle: (kind: BundleKind) =>
      pick(
        kind === 'directory'
          ? { title: 'Open an evidence bundle folder', properties: ['openDirectory'] }
          : { title: 'Open an evidence bundle archive', properties: ['openFile'], filters: ARCHIVE_FILTERS },
      ),
    chooseTrustDir: () => pick({ title: 'Choose your trust store folder', properties: ['openDirectory'] }),
    choosePolicy: () => pick({ title: 'Choose your verification policy', properties: ['openFile'], filters: [{ name: 'Policy (YAML)', extensions: ['yaml', 'yml'] }] }),
  };
}
