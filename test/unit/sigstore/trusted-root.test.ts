// Strict trusted-root loading: the fixture roots load; each damaged variant is refused with a reason
// naming the field, instead of the library's "valid forever" and lazy key parsing.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { TrustedMaterialError } from '../../../main/engine/sigstore/errors.js';
import { parseTrustedRoot } from '../../../main/engine/sigstore/trusted-root.js';
import { fixtureBytes, fixtureJson } from './fixtures.js';

type Json = Record<string, unknown>;

/** A deep copy of trusted_root.json with one change applied. */
function variant(change: (root: Json & { tlogs: Json[]; certificateAuthorities: Json[]; ctlogs: Json[]; timestampAuthorities: Json[] }) => void): Buffer {
  const root = structuredClone(fixtureJson('trusted_root.json')) as Parameters<typeof change>[0];
  change(root);
  return Buffer.from(JSON.stringify(root));
}

function rejects(bytes: Buffer, reason: RegExp): void {
  assert.throws(
    () => parseTrustedRoot(bytes, 'variant'),
    (error: unknown) => {
      assert.ok(error instanceof TrustedMaterialError, String(error));
      assert.match(error.message, reason);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
}

const tlogKey = (root: { tlogs: Json[] }): Json => root.tlogs[0]!['publicKey'] as Json;

describe('trusted root loading', () => {
  it('loads the fixture roots with every authority', () => {
    const root = parseTrustedRoot(fixtureBytes('trusted_root.json'), 'trusted_root.json');
    assert.equal(root.tlogs.length, 2);
    assert.equal(root.certificateAuthorities.length, 2);
    assert.equal(root.ctlogs.length, 3);
    assert.equal(root.timestampAuthorities.length, 2);
    assert.match(root.sha256, /^[0-9a-f]{64}$/);
    const good = parseTrustedRoot(fixtureBytes('trusted_root_public_good.json'), 'public good');
    assert.equal(good.timestampAuthorities.length, 0); // absent list = none, as proto3 JSON omits empty lists
  });

  it('bounds an authority with an empty validFor by its certificate chain, never "forever"', () => {
    const root = parseTrustedRoot(fixtureBytes('trusted_root.json'), 'trusted_root.json');
    const tsa = root.timestampAuthorities[0]!;
    assert.equal(tsa.validForSource, 'certificate-chain');
    assert.equal(tsa.validFor.start.toISOString(), '2022-01-01T00:00:00.000Z');
    assert.equal(tsa.validFor.end?.toISOString(), '2024-01-01T00:00:00.000Z');
    assert.equal(root.certificateAuthorities[1]!.validForSource, 'trusted-root');
  });

  describe('refuses', () => {
    it('a wrong or missing media type', () => {
      rejects(variant((r) => (r['mediaType'] = 'application/vnd.dev.sigstore.trustedroot+json;version=0.9')), /unknown media type/);
      rejects(variant((r) => (r['mediaType'] = 'application/vnd.dev.sigstore.bundle+json;version=0.1')), /unknown media type/);
      rejects(variant((r) => delete r['mediaType']), /mediaType is missing/);
    });

    it('missing fields', () => {
      rejects(variant((r) => delete r.tlogs[0]!['publicKey']), /tlogs\[0\]\.publicKey is missing/);
      rejects(variant((r) => delete tlogKey(r)['rawBytes']), /publicKey\.rawBytes is missing/);
      rejects(variant((r) => delete tlogKey(r)['keyDetails']), /keyDetails is missing/);
      rejects(variant((r) => delete r.tlogs[0]!['logId']), /logId is missing/);
      rejects(variant((r) => delete r.tlogs[0]!['hashAlgorithm']), /hashAlgorithm is missing/);
      rejects(variant((r) => delete r.tlogs[0]!['baseUrl']), /baseUrl is missing/);
      rejects(variant((r) => delete r.certificateAuthorities[1]!['validFor']), /certificateAuthorities\[1\]\.validFor is missing/);
      rejects(variant((r) => delete r.certificateAuthorities[1]!['certChain']), /certChain is missing/);
      rejects(variant((r) => ((r.certificateAuthorities[1]!['certChain'] as Json)['certificates'] = [])), /certChain\.certificates is empty/);
      rejects(variant((r) => delete r.timestampAuthorities[1]!['subject']), /subject is missing/);
      rejects(variant((r) => (tlogKey(r)['validFor'] = {})), /validFor\.start is missing/);
      rejects(Buffer.from(JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' })), /lists no transparency log/);
    });

    it('bad validity windows', () => {
      rejects(variant((r) => (r.certificateAuthorities[1]!['validFor'] = { start: '2031-01-01T00:00:00Z', end: '2022-01-01T00:00:00Z' })), /ends .* before it starts/);
      rejects(variant((r) => (r.certificateAuthorities[1]!['validFor'] = { start: 'yesterday' })), /not an RFC 3339 time/);
      rejects(variant((r) => (r.certificateAuthorities[1]!['validFor'] = { start: '2022-02-30T00:00:00Z' })), /not a valid date/);
      rejects(variant((r) => (r.certificateAuthorities[1]!['validFor'] = { start: '2022-04-13 20:06:15' })), /not an RFC 3339 time/);
      rejects(variant((r) => (r.certificateAuthorities[1]!['validFor'] = { start: 1649880375 })), /start must be a string/);
      rejects(variant((r) => (tlogKey(r)['validFor'] = { start: '2021-01-01T00:00:00Z', until: '2030-01-01T00:00:00Z' })), /unknown field "until"/);
    });

    it('unknown or mismatched key formats', () => {
      rejects(variant((r) => (tlogKey(r)['keyDetails'] = 'PKIX_ECDSA_P256_HMAC_SHA_256')), /not a supported key format/);
      rejects(variant((r) => (tlogKey(r)['keyDetails'] = 'PKIX_RSA_PSS_2048_SHA256')), /not a supported key format/);
      rejects(variant((r) => (tlogKey(r)['keyDetails'] = 'PKIX_SOMETHING_NEW')), /not a supported key format/);
      // The bytes are a P-256 key; saying Ed25519 or P-384 is a lie the library would not notice until use.
      rejects(variant((r) => (tlogKey(r)['keyDetails'] = 'PKIX_ED25519')), /not the PKIX_ED25519 key its keyDetails names/);
      rejects(variant((r) => (tlogKey(r)['keyDetails'] = 'PKIX_ECDSA_P384_SHA_384')), /not the PKIX_ECDSA_P384_SHA_384 key/);
      const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      rejects(variant((r) => (tlogKey(r)['rawBytes'] = ed)), /holds a ed25519 key, not the PKIX_ECDSA_P256_SHA_256 key/);
      rejects(variant((r) => (tlogKey(r)['rawBytes'] = Buffer.from('not a key').toString('base64'))), /is not a SPKI public key/);
    });

    it('damaged bytes, duplicate keys and unknown fields', () => {
      rejects(variant((r) => (tlogKey(r)['rawBytes'] = (tlogKey(r)['rawBytes'] as string).slice(0, -3))), /not valid base64/);
      rejects(variant((r) => ((r.tlogs[0]!['logId'] as Json)['keyId'] = Buffer.alloc(20).toString('base64'))), /must be 32 bytes/);
      rejects(variant((r) => (r.tlogs[0]!['hashAlgorithm'] = 'SHA2_384')), /not supported/);
      rejects(variant((r) => (((r.certificateAuthorities[1]!['certChain'] as Json)['certificates'] as Json[])[0]!['rawBytes'] = Buffer.from('junk').toString('base64'))), /not a DER X\.509 certificate/);
      rejects(variant((r) => (r['tlog'] = [])), /unknown field "tlog"/);
      rejects(Buffer.from(fixtureBytes('trusted_root.json').toString('utf8').replace('"tlogs": [', '"ctlogs": [], "tlogs": [')), /duplicate key "ctlogs"/);
      rejects(Buffer.from('{"mediaType": '), /invalid JSON/);
      rejects(Buffer.from('[]'), /must be an object/);
    });
  });
});
