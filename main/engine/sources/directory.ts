// Directory bundles: walks the tree with lstat only, so nothing is followed or opened, and reports every
// entry that is not a regular file or a directory instead of reading it.

import { constants, type Stats } from 'node:fs';
import { access, lstat, readdir, readlink, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeFsError } from './archive-input.js';
import { BundleUnreadableError, type BundleEntryProblem, type BundleFile, type OpenedBundle } from './bundle-source.js';

/**
 * Lists `dir`. The directory the user named may itself be reached through a symlink (that was their
 * choice); below it no link is followed: a symlink is a problem, never a file. FIFOs, sockets and devices
 * are reported from their lstat alone and never opened, so a FIFO cannot block the walk.
 */
export async function openDirectoryBundle(dir: string): Promise<OpenedBundle> {
  const root = resolve(dir);
  let rootStat: Stats;
  try {
    rootStat = await stat(root);
  } catch (error) {
    throw new BundleUnreadableError(`cannot read ${dir}: ${describeFsError(error)}`);
  }
  if (!rootStat.isDirectory()) throw new BundleUnreadableError(`${dir} is not a directory`);

  const files: BundleFile[] = [];
  const problems: BundleEntryProblem[] = [];
  // Explicit stack rather than recursion: depth is whatever the bundle says it is.
  const pending: string[] = [''];
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    const abs = rel === '' ? root : join(root, ...rel.split('/'));
    let names: string[];
    try {
      names = await readdir(abs);
    } catch (error) {
      if (rel === '') throw new BundleUnreadableError(`cannot list ${dir}: ${describeFsError(error)}`);
      problems.push({ path: rel, kind: 'unreadable', detail: `directory cannot be listed: ${describeFsError(error)}` });
      continue;
    }
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childAbs = join(abs, name);
      let st: Stats;
      try {
        st = await lstat(childAbs);
      } catch (error) {
        problems.push({ path: childRel, kind: 'unreadable', detail: describeFsError(error) });
        continue;
      }
      if (st.isDirectory()) {
        pending.push(childRel);
      } else if (st.isFile()) {
        try {
          await access(childAbs, constants.R_OK);
          files.push({ path: childRel, absPath: childAbs, size: st.size });
        } catch (error) {
          problems.push({ path: childRel, kind: 'unreadable', detail: describeFsError(error) });
        }
      } else if (st.isSymbolicLink()) {
        problems.push({ path: childRel, kind: 'symlink', detail: await linkDetail(childAbs) });
      } else {
        problems.push({ path: childRel, kind: 'special', detail: specialKind(st) });
      }
    }
  }
  // Code-unit order: the same on every machine and locale.
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  files.sort(byPath);
  problems.sort(byPath);
  return { source: dir, kind: 'directory', root, files, problems, close: async () => undefined };
}

async function linkDetail(absPath: string): Promise<string> {
  try {
    return `symbolic link to "${await readlink(absPath)}" (not followed)`;
  } catch {
    return 'symbolic link (not followed)';
  }
}

function specialKind(st: Stats): string {
  if (st.isFIFO()) return 'FIFO (named pipe), not read';
  if (st.isSocket()) return 'socket, not read';
  if (st.isCharacterDevice()) return 'character device, not read';
  if (st.isBlockDevice()) return 'block device, not read';
  return 'special file, not read';
}
