// Names inside an archive: which bundle path an entry name stands for, and which names collide (the same
// after Unicode normalisation and case folding, or a file where a directory is needed).

import { posix } from 'node:path';
import { BundleRefusedError } from './bundle-source.js';

/**
 * The bundle path an entry name stands for. A directory's trailing `/` is dropped, and so is one leading
 * `./`, because `tar -C bundle -cf bundle.tar .` (the obvious way to pack a bundle) writes every name that
 * way and it adds nothing; everything else must already be a safe bundle path.
 */
export function bundlePathOf(name: string, directory: boolean): string {
  let path = name;
  if (path.startsWith('./')) path = path.slice(2);
  else if (path === '.') path = '';
  if (directory && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

/**
 * Key under which two names count as the same entry: NFC, then a full case fold (upper then lower, so
 * "ß" meets "SS"). Case-insensitive and normalising file systems (macOS, Windows) would merge such names,
 * and a bundle whose meaning depends on the file system is refused.
 */
export function collisionKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * Why a Windows file system would not store `path` as written, or null. Assessors extract on Windows too,
 * and there these names are not just unusual: a reserved device name (CON, NUL, COM1, LPT1, … with any
 * extension) opens the device instead of a file, a `:` writes an NTFS alternate data stream of another
 * file, and a trailing dot or space is dropped, so `a.json.` lands on `a.json` and bypasses the collision
 * check. Such entries are refused wherever the archive is opened, so a bundle means the same everywhere.
 */
export function windowsUnsafeReason(path: string): string | null {
  for (const segment of path.split('/')) {
    if (segment.includes(':')) return `"${segment}" holds ":" (an NTFS alternate data stream on Windows)`;
    if (/[. ]$/.test(segment)) return `"${segment}" ends in a dot or space (Windows drops it, so the name aliases another)`;
    const stem = segment.split('.')[0]!.trimEnd().toUpperCase();
    if (/^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])$/.test(stem)) return `"${segment}" is the Windows device name ${stem}`;
  }
  return null;
}

/** Where a link's target points, for the message: links are refused either way, but escaping ones are worse. */
export function describeLinkTarget(entryPath: string, target: string | null, hard: boolean): string {
  if (target === null) return 'target unknown';
  const base = hard ? '' : posix.dirname(entryPath);
  const leaves = target.startsWith('/') || /^[A-Za-z]:/.test(target) || target.includes('\\') ||
    posix.normalize(posix.join(base, target)).split('/')[0] === '..';
  return leaves ? `target "${target}" leaves the bundle` : `target "${target}" stays inside the bundle`;
}

interface NameSlot {
  readonly name: string;
  readonly kind: 'file' | 'directory';
  /** A directory named by its own entry, as opposed to one implied by a file below it. */
  explicit: boolean;
}

/** The names claimed so far in one archive. */
export class EntryNames {
  private readonly slots = new Map<string, NameSlot>();

  /**
   * Claims `path` for a file or directory, and every ancestor for a directory, refusing any collision.
   * Returns the directories that now exist and did not before, parents first, for the caller to create.
   */
  claim(path: string, kind: 'file' | 'directory', entryName: string): string[] {
    const created: string[] = [];
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      const dir = segments.slice(0, i).join('/');
      const existing = this.slots.get(collisionKey(dir));
      if (existing === undefined) {
        this.slots.set(collisionKey(dir), { name: dir, kind: 'directory', explicit: false });
        created.push(dir);
      } else if (existing.kind !== 'directory') {
        throw new BundleRefusedError('INT-ARCHIVE-DUPLICATE-ENTRY', `archive entry "${entryName}" needs "${dir}" to be a directory, but an earlier entry "${existing.name}" is a file of that name`, entryName);
      } else if (existing.name !== dir) {
        throw duplicate(entryName, dir, existing);
      }
    }
    const key = collisionKey(path);
    const existing = this.slots.get(key);
    if (existing === undefined) {
      this.slots.set(key, { name: path, kind, explicit: true });
      if (kind === 'directory') created.push(path);
    } else if (kind === 'directory' && existing.kind === 'directory' && existing.name === path && !existing.explicit) {
      existing.explicit = true; // a file inside it already implied it: the same directory, now named
    } else {
      throw duplicate(entryName, path, existing);
    }
    return created;
  }
}

function duplicate(name: string, path: string, existing: NameSlot): BundleRefusedError {
  const what = existing.name === path ? 'the same name' : `"${existing.name}" (equal after Unicode normalisation and case folding)`;
  return new BundleRefusedError('INT-ARCHIVE-DUPLICATE-ENTRY', `archive entry "${name}" collides with an earlier ${existing.kind} entry of ${what}; which one is the bundle's would depend on the extractor`, name);
}
