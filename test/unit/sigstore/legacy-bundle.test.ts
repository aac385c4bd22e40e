// cosign's legacy blob bundle: built here from a v0.1 fixture's own fields (base64Signature, cert,
// rekorBundle with the SET and its Payload), it verifies exactly as the v0.1 bundle does; every tampered
// variant fails, because the SET signs the Payload fields the conversion carries over.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { SigstoreBundleError } from '../../../main/engine/sigstore/errors.js';
import { parseSignatureBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { verifyArtifact, type VerifyArtifactResult } from '../../../main/engine/sigstore/verify-artifact.js';
import { ARTIFACT, BRIAN, CODY, fixtureJson, fixtureKeyPolicy, loadRoot } from './fixtures.js';
import type { SignerPolicy } from '../../../main/engine/sigstore/identity.js';

type Json = Record<string, unknown>;

/** The legacy shape cosign sign-blob --bundle wrote, from a Sigstore bundle v0.1 fixture. */
function legacyFrom(fixture: string, options: { timestamp?: boolean } = {}): Json {
  const json = fixtureJson(fixture);
  const material = json['verificationMaterial'] as Json;
  const entry = (material['tlogEntries'] as Json[])[0]!;
  const chain = material['x509CertificateChain'] as { certificates: { rawBytes: string }[] } | undefined;
  const legacy: Json = {
    base64Signature: (json['messageSignature'] as Json)['signature'],
    rekorBundle: {
      SignedEntryTimestamp: (entry['inclusionPromise'] as Json)['signedEntryTimestamp'],
      Payload: {
        body: entry['canonicalizedBody'],
        integratedTime: Number(entry['integratedTime']),
        logIndex: Number(entry['logIndex']),
        logID: Buffer.from((entry['logId'] as Json)['keyId'] as string, 'base64').toString('hex'),
      },
    },
  };
  if (chain !== undefined) legacy['cert'] = Buffer.from(new X509Certificate(Buffer.from(chain.certificates[0]!.rawBytes, 'base64')).toString()).toString('base64');
  if (options.timestamp === true) {
    const ts = (material['timestampVerificationData'] as { rfc3161Timestamps: { signedTimestamp: string }[] }).rfc3161Timestamps[0]!;
    legacy['RFC3161Timestamp'] = { SignedRFC3161Timestamp: ts.signedTimestamp };
  }
  return legacy;
}

function verifyLegacy(legacy: Json, policy: SignerPolicy = BRIAN): VerifyArtifactResult {
  let bundle;
  try {
    bundle = parseSignatureBundle(Buffer.from(JSON.stringify(legacy)));
  } catch (error) {
    if (error instanceof SigstoreBundleError) return { ok: false, code: error.code, reason: error.message, libraryCode: null };
    throw error;
  }
  return verifyArtifact({ bundle, artifact: { kind: 'bytes', bytes: ARTIFACT }, trustedRoot: loadRoot('trusted_root.json'), policy });
}

function payload(legacy: Json): Json {
  return (legacy['rekorBundle'] as Json)['Payload'] as Json;
}

function flipBase64(text: string, at: number): string {
  const bytes = Buffer.from(text, 'base64');
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
  return bytes.toString('base64');
}

describe('cosign legacy blob bundle', () => {
  it('converts to a v0.1 bundle and verifies like the original, with the same log entry', () => {
    const result = verifyLegacy(legacyFrom('v0.1-message-signature-cert.sigstore.json'));
    assert.equal(result.ok, true, result.ok ? '' : result.reason);
    if (!result.ok) return;
    assert.equal(result.format, 'cosign-legacy-bundle');
    assert.equal(result.signer.kind === 'certificate' && result.signer.identity, 'brian@dehamer.com');
    assert.equal(result.tlogEntries[0]?.logIndex, '6757503');
    assert.equal(result.tlogEntries[0]?.integratedTime?.toISOString(), '2022-11-09T01:33:10.000Z');
    assert.equal(result.rfc3161Timestamps.length, 0);
  });

  it('carries an RFC 3161 timestamp over, and a key-signed legacy bundle verifies with the key', () => {
    const withTs = verifyLegacy(legacyFrom('v0.1-message-signature-cert.sigstore.json', { timestamp: true }));
    assert.equal(withTs.ok && withTs.rfc3161Timestamps.length, 1);
    const keyed = verifyLegacy(legacyFrom('v0.1-message-signature-public-key.sigstore.json'), fixtureKeyPolicy());
    assert.equal(keyed.ok, true, keyed.ok ? '' : keyed.reason);
  });

  it('does not verify with another identity or issuer', () => {
    const legacy = legacyFrom('v0.1-message-signature-cert.sigstore.json');
    assert.equal(verifyLegacy(legacy, { ...BRIAN, identity: 'brian@dehamer.co' }).ok, false);
    assert.equal(verifyLegacy(legacy, { ...BRIAN, issuer: 'https://accounts.google.com' }).ok, false);
  });

  const tampered: [string, (legacy: Json) => void, string][] = [
    ['a flipped SET byte', (l) => ((l['rekorBundle'] as Json)['SignedEntryTimestamp'] = flipBase64((l['rekorBundle'] as Json)['SignedEntryTimestamp'] as string, 20)), 'TLOG_INVALID'],
    ['another integrated time', (l) => (payload(l)['integratedTime'] = (payload(l)['integratedTime'] as number) + 60), 'TLOG_INVALID'],
    ['another log index', (l) => (payload(l)['logIndex'] = 1), 'TLOG_INVALID'],
    ['another log id', (l) => (payload(l)['logID'] = 'ab'.repeat(32)), 'TLOG_INVALID'],
    ['a signature that is not the logged one', (l) => (l['base64Signature'] = flipBase64(l['base64Signature'] as string, 30)), 'TLOG_INVALID'],
    ['a truncated signature', (l) => (l['base64Signature'] = (l['base64Signature'] as string).slice(0, -6)), 'BUNDLE_MALFORMED'],
    ['a truncated body', (l) => (payload(l)['body'] = (payload(l)['body'] as string).slice(0, -2)), 'BUNDLE_MALFORMED'],
    ['no rekorBundle', (l) => delete l['rekorBundle'], 'BUNDLE_MALFORMED'],
    ['a logID that is not hex', (l) => (payload(l)['logID'] = 'zz'), 'BUNDLE_MALFORMED'],
    ['a certificate that is not one', (l) => (l['cert'] = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64')), 'BUNDLE_MALFORMED'],
  ];
  for (const [name, change, code] of tampered) {
    it(`fails with ${name} (${code})`, () => {
      const legacy = legacyFrom('v0.1-message-signature-cert.sigstore.json');
      change(legacy);
      const result = verifyLegacy(legacy);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.code, code, result.reason);
    });
  }

  it('fails with another signer\'s certificate in place of the original', () => {
    const legacy = legacyFrom('v0.1-message-signature-cert.sigstore.json');
    const other = fixtureJson('cosign-oci-attestation.sigstore.json')['verificationMaterial'] as { certificate: { rawBytes: string } };
    legacy['cert'] = Buffer.from(new X509Certificate(Buffer.from(other.certificate.rawBytes, 'base64')).toString()).toString('base64');
    assert.equal(verifyLegacy(legacy, BRIAN).ok, false);
    assert.equal(verifyLegacy(legacy, CODY).ok, false);
  });

  it('refuses a legacy bundle that logs a DSSE entry: it cannot carry the envelope', () => {
    const dsse = fixtureJson('v0.1-dsse-cert.sigstore.json');
    const legacy = legacyFrom('v0.1-message-signature-cert.sigstore.json');
    payload(legacy)['body'] = ((dsse['verificationMaterial'] as Json)['tlogEntries'] as Json[])[0]!['canonicalizedBody'];
    const result = verifyLegacy(legacy);
    assert.equal(!result.ok && result.code, 'BUNDLE_UNSUPPORTED');
  });
});
