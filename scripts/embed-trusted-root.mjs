/* global Buffer */
// Build step (after tsc): embeds the Sigstore public-good trusted root. @sigstore/tuf ships the TUF
// repository's trusted_root.json target, base64 in seeds.json; its exact bytes are validated with
// Assay's strict loader and written to assets/trust/, where the engine reads them at run time. Nothing is
// fetched, now or later. The file is committed; the unit test public-good-root.test.ts fails if it and
// the installed @sigstore/tuf ever disagree, so a dependency update cannot change the anchors silently.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const TUF_REPOSITORY = 'https://tuf-repo-cdn.sigstore.dev';
const TARGET = 'trusted_root.json';

const seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8'));
const encoded = seeds[TUF_REPOSITORY]?.targets?.[TARGET];
if (typeof encoded !== 'string') throw new Error(`@sigstore/tuf seeds.json has no ${TARGET} target for ${TUF_REPOSITORY}`);
const bytes = Buffer.from(encoded, 'base64');
if (bytes.toString('base64') !== encoded) throw new Error(`@sigstore/tuf seeds.json: ${TARGET} is not canonical base64`);

const { parseTrustedRoot } = await import('../dist/main/engine/sigstore/trusted-root.js');
const { PUBLIC_GOOD_TRUSTED_ROOT_PATH } = await import('../dist/main/engine/sigstore/public-good.js');
const root = parseTrustedRoot(bytes, `@sigstore/tuf seeds.json ${TARGET}`);

// Rewrite only on change, so a build leaves a clean checkout clean.
if (!existsSync(PUBLIC_GOOD_TRUSTED_ROOT_PATH) || !readFileSync(PUBLIC_GOOD_TRUSTED_ROOT_PATH).equals(bytes)) {
  mkdirSync(dirname(PUBLIC_GOOD_TRUSTED_ROOT_PATH), { recursive: true });
  writeFileSync(PUBLIC_GOOD_TRUSTED_ROOT_PATH, bytes);
  console.log(`embed-trusted-root: wrote ${PUBLIC_GOOD_TRUSTED_ROOT_PATH} (sha256 ${root.sha256}, ${root.tlogs.length} tlogs, ${root.certificateAuthorities.length} CAs, ${root.ctlogs.length} CT logs, ${root.timestampAuthorities.length} TSAs)`);
}
