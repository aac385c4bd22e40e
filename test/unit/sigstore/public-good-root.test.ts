// The embedded public-good trusted root is exactly the trusted_root.json target that @sigstore/tuf
// ships in seeds.json (so an upgrade that changes the anchors fails here until the build re-embeds it),
// and it passes the strict loader.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { loadPublicGoodTrustedRoot, PUBLIC_GOOD_TRUSTED_ROOT_PATH } from '../../../main/engine/sigstore/public-good.js';

const require = createRequire(import.meta.url);

describe('embedded public-good trusted root', () => {
  it('equals the trusted_root.json target in @sigstore/tuf seeds.json, byte for byte', () => {
    const seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8')) as Record<string, { targets: Record<string, string> }>;
    const target = seeds['https://tuf-repo-cdn.sigstore.dev']?.targets['trusted_root.json'];
    assert.equal(typeof target, 'string');
    assert.ok(readFileSync(PUBLIC_GOOD_TRUSTED_ROOT_PATH).equals(Buffer.from(target!, 'base64')), 'assets/trust/public-good-trusted_root.json differs from @sigstore/tuf: run npm run build and commit it');
  });

  it('loads strictly, with Rekor, Fulcio, CT logs and the timestamp authority', async () => {
    const root = await loadPublicGoodTrustedRoot();
    assert.ok(root.tlogs.some((l) => l.baseUrl === 'https://rekor.sigstore.dev'));
    assert.ok(root.certificateAuthorities.some((a) => a.uri === 'https://fulcio.sigstore.dev'));
    assert.ok(root.ctlogs.length > 0);
    assert.ok(root.timestampAuthorities.length > 0);
  });
});
