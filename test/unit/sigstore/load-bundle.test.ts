// Bundle loading: the media types Assay knows (both spellings of v0.3), strict base64 and JSON, and the
// shapes it refuses, each with a stable code and a one-line reason.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SigstoreBundleError, type SigstoreFailureCode } from '../../../main/engine/sigstore/errors.js';
import { fromSerialized, parseSignatureBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { verifyArtifact } from '../../../main/engine/sigstore/verify-artifact.js';
import { ARTIFACT, BRIAN, fixtureBytes, fixtureJson, loadRoot } from './fixtures.js';

type Json = Record<string, unknown>;

function refused(load: () => unknown, code: SigstoreFailureCode, reason: RegExp): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof SigstoreBundleError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, reason);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

describe('bundle loading', () => {
  it('names format, content and verification material', () => {
    const v01 = parseSignatureBundle(fixtureBytes('v0.1-dsse-cert.sigstore.json'));
    assert.deepEqual([v01.format, v01.content, v01.verificationMaterial], ['sigstore-bundle-v0.1', 'dsse-envelope', 'certificate']);
    const v03 = parseSignatureBundle(fixtureBytes('v0.3-message-signature-cert-tsa.sigstore.json'));
    assert.deepEqual([v03.format, v03.content, v03.verificationMaterial], ['sigstore-bundle-v0.3', 'message-signature', 'certificate']);
    const key = parseSignatureBundle(fixtureBytes('v0.1-message-signature-public-key.sigstore.json'));
    assert.equal(key.verificationMaterial, 'public-key');
  });

  it('accepts both spellings of the v0.3 media type, and v0.2', () => {
    const json = fixtureJson('v0.3-message-signature-cert-tsa.sigstore.json');
    for (const mediaType of ['application/vnd.dev.sigstore.bundle.v0.3+json', 'application/vnd.dev.sigstore.bundle+json;version=0.3', 'application/vnd.dev.sigstore.bundle+json;version=0.2']) {
      const bundle = fromSerialized({ ...json, mediaType });
      const result = verifyArtifact({ bundle, artifact: { kind: 'bytes', bytes: ARTIFACT }, trustedRoot: loadRoot('trusted_root.json'), policy: BRIAN });
      assert.equal(result.ok, true, mediaType);
    }
  });

  it('refuses unknown media types', () => {
    const json = fixtureJson('v0.3-message-signature-cert-tsa.sigstore.json');
    for (const mediaType of ['application/vnd.dev.sigstore.bundle+json;version=0.4', 'application/vnd.dev.sigstore.bundle.v0.3+jsonx', 'application/json', '']) {
      refused(() => fromSerialized({ ...json, mediaType }), 'BUNDLE_MEDIA_TYPE', /unknown bundle media type/);
    }
    refused(() => fromSerialized({ ...json, mediaType: 3 }), 'BUNDLE_MALFORMED', /mediaType must be a string/);
  });

  it('refuses bad JSON and duplicate keys', () => {
    refused(() => parseSignatureBundle(Buffer.from('{"mediaType": ')), 'BUNDLE_MALFORMED', /not valid JSON/);
    refused(() => parseSignatureBundle(Buffer.from('hello')), 'BUNDLE_MALFORMED', /not valid JSON/);
    const text = fixtureBytes('v0.3-message-signature-cert-tsa.sigstore.json').toString('utf8');
    const doubled = text.replace('"messageSignature"', '"messageSignature": {}, "messageSignature"');
    refused(() => parseSignatureBundle(Buffer.from(doubled)), 'BUNDLE_MALFORMED', /duplicate key "messageSignature"/);
  });

  it('refuses truncated or damaged base64 that Buffer.from would silently accept', () => {
    const json = fixtureJson('v0.3-message-signature-cert-tsa.sigstore.json');
    const message = json['messageSignature'] as Json;
    const signature = message['signature'] as string;
    for (const damaged of [signature.slice(0, -5), `${signature.slice(0, 10)}!${signature.slice(11)}`, `${signature}=`]) {
      refused(() => fromSerialized({ ...json, messageSignature: { ...message, signature: damaged } }), 'BUNDLE_MALFORMED', /messageSignature\.signature is not valid base64/);
    }
    const material = json['verificationMaterial'] as Json;
    const certificate = (material['certificate'] as Json)['rawBytes'] as string;
    refused(() => fromSerialized({ ...json, verificationMaterial: { ...material, certificate: { rawBytes: certificate.slice(0, 400) } } }), 'BUNDLE_MALFORMED', /certificate/);
  });

  it('refuses ambiguous shapes', () => {
    const json = fixtureJson('v0.1-dsse-cert.sigstore.json');
    const envelope = json['dsseEnvelope'] as Json;
    const signatures = envelope['signatures'] as Json[];
    refused(() => fromSerialized({ ...json, dsseEnvelope: { ...envelope, signatures: [...signatures, ...signatures] } }), 'BUNDLE_UNSUPPORTED', /exactly one signature/);
    refused(() => fromSerialized({ ...json, messageSignature: fixtureJson('v0.1-message-signature-cert.sigstore.json')['messageSignature'] }), 'BUNDLE_MALFORMED', /exactly one of messageSignature, dsseEnvelope/);
    const material = json['verificationMaterial'] as Json;
    refused(() => fromSerialized({ ...json, verificationMaterial: { ...material, publicKey: { hint: 'x' } } }), 'BUNDLE_MALFORMED', /exactly one of publicKey/);
    refused(() => fromSerialized({ ...json, verificationMaterial: { tlogEntries: material['tlogEntries'] } }), 'BUNDLE_MALFORMED', /exactly one of publicKey/);
  });

  it('refuses a v0.1 tlog entry without its inclusion promise', () => {
    const json = fixtureJson('v0.1-message-signature-cert.sigstore.json');
    const material = json['verificationMaterial'] as Json;
    const entry = { ...((material['tlogEntries'] as Json[])[0] as Json) };
    delete entry['inclusionPromise'];
    refused(() => fromSerialized({ ...json, verificationMaterial: { ...material, tlogEntries: [entry] } }), 'BUNDLE_MALFORMED', /inclusionPromise/);
  });
});

it('canonical form is required on request: an unknown field or non-canonical base64 is refused', () => {
  const json = JSON.parse(fixtureBytes('v0.3-message-signature-cert-tsa.sigstore.json').toString('utf8')) as {
    verificationMaterial: Record<string, unknown>;
    messageSignature: { signature: string };
  };
  const strict = { requireCanonical: true };
  assert.doesNotThrow(() => parseSignatureBundle(Buffer.from(JSON.stringify(json)), strict));
  const unknownField = { ...json, verificationMaterial: { ...json.verificationMaterial, extra: [] } };
  assert.doesNotThrow(() => parseSignatureBundle(Buffer.from(JSON.stringify(unknownField))));
  assert.throws(() => parseSignatureBundle(Buffer.from(JSON.stringify(unknownField)), strict), /extra is unknown or not in canonical form/);
  // The last base64 character before "=" carries padding bits: flipping one decodes to the same bytes.
  const signature = json.messageSignature.signature;
  const at = signature.replace(/=+$/, '').length - 1;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const flipped = signature.slice(0, at) + alphabet[alphabet.indexOf(signature[at]!) ^ 1] + signature.slice(at + 1);
  const padded = { ...json, messageSignature: { ...json.messageSignature, signature: flipped } };
  if (signature.endsWith('=')) {
    assert.throws(() => parseSignatureBundle(Buffer.from(JSON.stringify(padded)), strict), /signature (is not valid base64|is unknown or not in canonical form)/);
  }
});
