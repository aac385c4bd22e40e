// Registers the IPC handlers on ipcMain with the sender check of DESIGN §9: a message whose sending frame
// is not the app's own top-level page is refused before any handler runs. Electron objects come in
// through narrow interfaces, so a plain-Node test can prove the check with a fake ipcMain.

import type { EventChannel, EventContract, InvokeChannel } from '../../shared/ipc-contract.js';
import type { IpcHandlers } from './ipc-handlers.js';
import { isTrustedSender, type SenderFrame } from './security/ipc-sender.js';

export interface InvokeEventLike {
  readonly senderFrame: SenderFrame | null;
  readonly sender: { send(channel: string, payload: unknown): void; isDestroyed(): boolean };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, request: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export class UntrustedSenderError extends Error {}

export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers, origin?: string): () => void {
  const channels = Object.keys(handlers) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, request) => {
      if (!isTrustedSender(event.senderFrame, origin)) {
        throw new UntrustedSenderError(`IPC ${channel} refused: sender ${event.senderFrame?.url ?? '(no frame)'} is not the app's page`);
      }
      const emit = <E extends EventChannel>(eventChannel: E, payload: EventContract[E]) => {
        if (!event.sender.isDestroyed()) event.sender.send(eventChannel, payload);
      };
      return handlers[channel](request, { emit });
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
