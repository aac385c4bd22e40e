// The Sigstore public-good trusted root that Assay uses when the assessor names none. It is the
// `trusted_root.json` TUF target shipped in @sigstore/tuf's seeds.json, copied into assets/ at build time
// by scripts/embed-trusted-root.mjs (and a unit test keeps the two equal), so verification never fetches
// anything: an air-gapped laptop has the same anchors as a connected one with the same Assay version.

import { fileURLToPath } from 'node:url';
import { loadTrustedRootFile, type LoadedTrustedRoot } from './trusted-root.js';

/** Relative to the repository root (and to the app's resources when packaged). */
export const PUBLIC_GOOD_TRUSTED_ROOT_ASSET = 'assets/trust/public-good-trusted_root.json';

/** dist/main/engine/sigstore/ -> the repository root, where assets/ lives beside dist/. */
export const PUBLIC_GOOD_TRUSTED_ROOT_PATH = fileURLToPath(new URL(`../../../../${PUBLIC_GOOD_TRUSTED_ROOT_ASSET}`, import.meta.url));

export const PUBLIC_GOOD_SOURCE = 'embedded public-good (from @sigstore/tuf seeds)';

export function loadPublicGoodTrustedRoot(): Promise<LoadedTrustedRoot> {
  return loadTrustedRootFile(PUBLIC_GOOD_TRUSTED_ROOT_PATH, PUBLIC_GOOD_SOURCE);
}
