// The assessor's trust store: a directory the verifier owns, never the bundle. Layout (v1):
//   keys/<name>.pem        named public keys (SPKI PEM: Ed25519, ECDSA P-256/P-384, RSA >= 2048 bits)
//   sigstore/<name>.json   Sigstore trusted roots (private instances), validated strictly; the embedded
//                          public-good root is available as "public-good" without a file
// Anything else in the directory is an error, so that a mistyped file cannot be silently ignored.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVELOPERS_DIR, loadDeveloperKeys, type DeveloperKey } from './developer-keys.js';
import { keyName, PUBLIC_GOOD_ROOT_NAME, trustedRootName } from '../schemas/policy.js';
import { TrustedMaterialError } from '../sigstore/errors.js';
import { parseTrustedRoot, type LoadedTrustedRoot } from '../sigstore/trusted-root.js';

export interface TrustedKey {
  readonly name: string;
  readonly key: KeyObject;
  /** hex sha256 of the SPKI DER: the Sigstore public-key hint convention. */
  readonly hint: string;
  readonly algorithm: string;
}

export interface TrustStore {
  readonly dir: string;
  readonly keys: ReadonlyMap<string, TrustedKey>;
  /** Developer keys (developers/<name>.pub OpenSSH, <name>.asc OpenPGP) that may sign source commits. */
  readonly developers: ReadonlyMap<string, DeveloperKey>;
  /** Sigstore trusted roots by name (file stem); `public-good` is added when a policy names it. */
  readonly trustedRoots: ReadonlyMap<string, LoadedTrustedRoot>;
}

/** Invalid trust material: the verifier cannot run (exit code 2). */
export class TrustStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustStoreError';
  }
}

const MAX_KEY_FILE_BYTES = 64 * 1024;
const MAX_TRUSTED_ROOT_FILE_BYTES = 4 * 1024 * 1024;
const ENTRIES = ['keys', 'sigstore', DEVELOPERS_DIR];

export async function loadTrustStore(dir: string): Promise<TrustStore> {
  const top = await listDir(dir, 'trust store');
  for (const entry of top) {
    if (!ENTRIES.includes(entry)) throw new TrustStoreError(`trust store ${dir}: unexpected entry "${entry}" (expected keys/, sigstore/ and developers/)`);
  }
  const keys = new Map<string, TrustedKey>();
  if (top.includes('keys')) {
    const keysDir = join(dir, 'keys');
    for (const file of (await listDir(keysDir, 'trust store keys')).sort()) {
      keys.set(...(await loadKey(keysDir, file)));
    }
  }
  const trustedRoots = new Map<string, LoadedTrustedRoot>();
  if (top.includes('sigstore')) {
    const rootsDir = join(dir, 'sigstore');
    for (const file of (await listDir(rootsDir, 'trust store sigstore')).sort()) {
      trustedRoots.set(...(await loadTrustedRoot(rootsDir, file)));
    }
  }
  const developers = top.includes(DEVELOPERS_DIR) ? await loadDevelopers(join(dir, DEVELOPERS_DIR)) : new Map<string, DeveloperKey>();
  return { dir, keys, trustedRoots, developers };
}

async function loadTrustedRoot(rootsDir: string, file: string): Promise<[string, LoadedTrustedRoot]> {
  const where = join(rootsDir, file);
  if (!file.endsWith('.json')) throw new TrustStoreError(`${where}: trusted roots must be named <name>.json`);
  const name = file.slice(0, -'.json'.length);
  if (!trustedRootName.safeParse(name).success) throw new TrustStoreError(`${where}: "${name}" is not a valid trusted root name`);
  if (name === PUBLIC_GOOD_ROOT_NAME) throw new TrustStoreError(`${where}: "${PUBLIC_GOOD_ROOT_NAME}" is the embedded Sigstore public-good root and cannot be replaced by a file; name it otherwise`);
  const info = await lstat(where);
  if (!info.isFile()) throw new TrustStoreError(`${where}: not a regular file`);
  if (info.size > MAX_TRUSTED_ROOT_FILE_BYTES) throw new TrustStoreError(`${where}: too large for a trusted root`);
  try {
    return [name, parseTrustedRoot(await readFile(where), where)];
  } catch (error) {
    if (error instanceof TrustedMaterialError) throw new TrustStoreError(error.message);
    throw error;
  }
}

async function loadDevelopers(dir: string): Promise<Map<string, DeveloperKey>> {
  await listDir(dir, 'trust store developers');
  return loadDeveloperKeys(dir, (message) => new TrustStoreError(message));
}

async function listDir(dir: string, what: string): Promise<string[]> {
  try {
    const info = await lstat(dir);
    if (!info.isDirectory()) throw new TrustStoreError(`${what} ${dir} is not a directory`);
    return await readdir(dir);
  } catch (error) {
    if (error instanceof TrustStoreError) throw error;
    throw new TrustStoreError(`cannot read ${what} ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function loadKey(keysDir: string, file: string): Promise<[string, TrustedKey]> {
  const where = join(keysDir, file);
  if (!file.endsWith('.pem')) throw new TrustStoreError(`${where}: trust store keys must be named <name>.pem`);
  const name = file.slice(0, -'.pem'.length);
  if (!keyName.safeParse(name).success) throw new TrustStoreError(`${where}: "${name}" is not a valid key name`);
  const info = await lstat(where);
  if (!info.isFile()) throw new TrustStoreError(`${where}: not a regular file`);
  if (info.size > MAX_KEY_FILE_BYTES) throw new TrustStoreError(`${where}: too large for a public key`);
  const pem = await readFile(where, 'utf8');
  if (/PRIVATE KEY/.test(pem)) throw new TrustStoreError(`${where}: holds a private key; the trust store takes public keys only`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TrustStoreError(`${where}: not a PEM public key (${(error as Error).message})`);
  }
  const algorithm = describeKey(key, where);
  const hint = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
  return [name, { name, key, hint, algorithm }];
}

/** Accepts only key types Sigstore verification supports, with sizes that are still safe. */
function describeKey(key: KeyObject, where: string): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'Ed25519';
    case 'ec': {
      const curve = details.namedCurve;
      if (curve === 'prime256v1') return 'ECDSA P-256';
      if (curve === 'secp384r1') return 'ECDSA P-384';
      if (curve === 'secp521r1') return 'ECDSA P-521';
      throw new TrustStoreError(`${where}: unsupported EC curve ${curve ?? 'unknown'}`);
    }
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < 2048) throw new TrustStoreError(`${where}: RSA key of ${bits} bits is too small (minimum 2048)`);
      return `RSA ${bits}`;
    }
    default:
      throw new TrustStoreError(`${where}: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}
