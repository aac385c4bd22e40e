// The application menu. Commands that concern the page go to it as `menu:command` events.

import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc-contract.js';

export function buildMenu(window: () => BrowserWindow | null): Menu {
  const send = (command: MenuCommand) => () => {
    const target = window();
    if (target !== null && !target.isDestroyed()) target.webContents.send('menu:command', command);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Bundle &Folder…', accelerator: 'CmdOrCtrl+O', click: send('open-directory') },
        { label: 'Open Bundle &Archive…', accelerator: 'CmdOrCtrl+Shift+O', click: send('open-archive') },
        { label: '&Close Report', accelerator: 'CmdOrCtrl+W', click: send('close-report') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    { label: '&View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: '&Help', submenu: [{ label: `About Assay ${app.getVersion()}`, click: () => app.showAboutPanel() }] },
  ];
  return Menu.buildFromTemplate(template);
}
