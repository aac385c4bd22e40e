// Developer keys of the trust store (`developers/`): the keys source commits may be signed with.
//   developers/<name>.pub   one OpenSSH public key line (ssh-ed25519, ecdsa-sha2-nistp*, ssh-rsa >= 2048)
//   developers/<name>.asc   one armored OpenPGP public key
// Anything else is an error, like everywhere else in the trust store.

import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAuthorizedKey, type SshPublicKey } from '../formats/ssh-signature.js';
import { readOpenPgpPublicKey, type OpenPgpKey } from '../formats/openpgp-signature.js';
import { keyName } from '../schemas/policy.js';

export type DeveloperKey =
  | { readonly name: string; readonly kind: 'ssh'; readonly ssh: SshPublicKey }
  | { readonly name: string; readonly kind: 'openpgp'; readonly openpgp: OpenPgpKey };

export const DEVELOPERS_DIR = 'developers';
const MAX_KEY_BYTES = 64 * 1024;

/** Loads `<trust>/developers/`; `fail` turns a problem into the trust store's own error type. */
export async function loadDeveloperKeys(dir: string, fail: (message: string) => Error): Promise<Map<string, DeveloperKey>> {
  const keys = new Map<string, DeveloperKey>();
  for (const file of (await readdir(dir)).sort()) {
    const where = join(dir, file);
    const match = /^(.+)\.(pub|asc)$/.exec(file);
    if (match === null) throw fail(`${where}: developer keys must be named <name>.pub (OpenSSH) or <name>.asc (OpenPGP)`);
    const name = match[1]!;
    if (!keyName.safeParse(name).success) throw fail(`${where}: "${name}" is not a valid key name`);
    if (keys.has(name)) throw fail(`${where}: a developer key named "${name}" exists twice`);
    const info = await lstat(where);
    if (!info.isFile()) throw fail(`${where}: not a regular file`);
    if (info.size > MAX_KEY_BYTES) throw fail(`${where}: too large for a public key`);
    const text = await readFile(where, 'utf8');
    if (/PRIVATE KEY/.test(text)) throw fail(`${where}: holds a private key; the trust store takes public keys only`);
    try {
      if (match[2] === 'pub') {
        const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
        if (lines.length !== 1) throw new Error(`expected one key line, found ${lines.length}`);
        keys.set(name, { name, kind: 'ssh', ssh: parseAuthorizedKey(lines[0]!) });
      } else {
        keys.set(name, { name, kind: 'openpgp', openpgp: await readOpenPgpPublicKey(text) });
      }
    } catch (error) {
      throw fail(`${where}: not a usable public key (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return keys;
}
