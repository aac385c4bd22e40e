// verifyArtifact against real third-party bundles: each verifies with the identity, key and trusted
// root its origin names; another identity, issuer, key, artefact or root does not, with a stable code.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle';
import { describe, it } from 'node:test';
import { X509Certificate } from '@sigstore/core';
import { readCertificateIdentity, type SignerPolicy } from '../../../main/engine/sigstore/identity.js';
import { fromSerialized, type LoadedBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { loadPublicGoodTrustedRoot } from '../../../main/engine/sigstore/public-good.js';
import { parseVerificationKey } from '../../../main/engine/sigstore/public-key.js';
import { parseTrustedRoot } from '../../../main/engine/sigstore/trusted-root.js';
import { verifierOptions, verifyArtifact, type ArtifactInput, type VerifyArtifactResult } from '../../../main/engine/sigstore/verify-artifact.js';
import { ARTIFACT, ARTIFACT_SHA256, BRIAN, CODY, FIXTURE_CASES, fixtureJson, fixtureKeyPolicy, loadBundle, loadRoot, OCI_SUBJECT_SHA256, SLSA_DELEGATOR } from './fixtures.js';

function assertFails(result: VerifyArtifactResult, code: string): void {
  assert.equal(result.ok, false, `expected ${code}, but it verified`);
  if (!result.ok) {
    assert.equal(result.code, code, result.reason);
    assert.doesNotMatch(result.reason, /\n/);
  }
}

function otherKeyPolicy(): SignerPolicy {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { kind: 'key', key: { key: publicKey, algorithm: 'ECDSA P-256', hint: 'other' } };
}

const digestOf = (bytes: Buffer): ArtifactInput => ({ kind: 'digest', sha256: createHash('sha256').update(bytes).digest() });

describe('every fixture bundle verifies offline with its identity or key', () => {
  for (const c of FIXTURE_CASES) {
    it(c.bundle, () => {
      const result = verifyArtifact({ bundle: loadBundle(c.bundle), artifact: c.artifact, trustedRoot: loadRoot(c.root), policy: c.policy() });
      assert.equal(result.ok, true, result.ok ? '' : `${result.code}: ${result.reason}`);
      if (!result.ok) return;
      const policy = c.policy();
      if (policy.kind === 'certificate') {
        assert.equal(result.signer.kind, 'certificate');
        if (result.signer.kind === 'certificate') {
          assert.equal(result.signer.identity, policy.identity);
          assert.equal(result.signer.issuer, policy.issuer);
          assert.ok(result.signer.notBefore < result.signer.notAfter);
        }
        // A certificate signature must have been anchored in time by a SET or a TSA.
        assert.ok(result.tlogEntries.some((e) => e.integratedTime !== null) || result.rfc3161Timestamps.length > 0);
      } else {
        assert.equal(result.signer.kind, 'key');
      }
    });
  }

  it('reads the identities of the cosign and SLSA bundles from their certificates', (t) => {
    for (const [name, expected] of [
      ['cosign-oci-attestation.sigstore.json', CODY],
      ['slsa-v1-delegator.sigstore.json', SLSA_DELEGATOR],
    ] as const) {
      const material = loadBundle(name).bundle.verificationMaterial.content;
      const der = material.$case === 'certificate' ? material.certificate.rawBytes : material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]!.rawBytes : Buffer.alloc(0);
      const identity = readCertificateIdentity(X509Certificate.parse(Buffer.from(der)));
      t.diagnostic(`${name}: SAN ${identity.subjectAlternativeNames.join(', ')}, issuer ${identity.issuer ?? 'none'}`);
      assert.deepEqual(identity.subjectAlternativeNames, [expected.identity]);
      assert.equal(identity.issuer, expected.issuer);
    }
  });

  it('reports log index, integrated time and RFC 3161 timestamps', () => {
    const result = verifyArtifact({ bundle: loadBundle('v0.1-message-signature-cert.sigstore.json'), artifact: { kind: 'bytes', bytes: ARTIFACT }, trustedRoot: loadRoot('trusted_root.json'), policy: BRIAN });
    assert.ok(result.ok);
    assert.equal(result.tlogEntries[0]?.logIndex, '6757503');
    assert.equal(result.tlogEntries[0]?.integratedTime?.toISOString(), '2022-11-09T01:33:10.000Z');
    assert.equal(result.rfc3161Timestamps.length, 1);
    assert.equal(result.artifact.sha256, ARTIFACT_SHA256);
    assert.equal(result.artifact.boundBy, 'message-digest');
  });

  it('message signatures also verify from the artefact digest alone', () => {
    for (const name of ['v0.1-message-signature-cert.sigstore.json', 'v0.3-message-signature-rekor2.sigstore.json', 'v0.3-message-signature-cert-tsa.sigstore.json']) {
      const result = verifyArtifact({ bundle: loadBundle(name), artifact: digestOf(ARTIFACT), trustedRoot: loadRoot('trusted_root.json'), policy: BRIAN });
      assert.equal(result.ok, true, name);
    }
    const keyed = verifyArtifact({ bundle: loadBundle('v0.1-message-signature-public-key.sigstore.json'), artifact: digestOf(ARTIFACT), trustedRoot: loadRoot('trusted_root.json'), policy: fixtureKeyPolicy() });
    assert.equal(keyed.ok, true);
  });

  it('Ed25519 message signatures verify over the artefact; from a digest alone they cannot, and say so', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const bundle = fromSerialized(bundleToJSON(toMessageSignatureBundle({ digest: createHash('sha256').update(ARTIFACT).digest(), signature: sign(null, ARTIFACT, privateKey), keyHint: '', certificateChain: false })));
    const policy: SignerPolicy = { kind: 'key', key: parseVerificationKey(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ed25519.pem') };
    const verified = verifyArtifact({ bundle, artifact: { kind: 'bytes', bytes: ARTIFACT }, trustedRoot: loadRoot('trusted_root.json'), policy });
    assert.equal(verified.ok, true, verified.ok ? '' : `${verified.code} ${verified.reason}`);
    assertFails(verifyArtifact({ bundle, artifact: { kind: 'bytes', bytes: Buffer.concat([ARTIFACT, Buffer.from('!')]) }, trustedRoot: loadRoot('trusted_root.json'), policy }), 'ARTIFACT_MISMATCH');
    // not SIGNATURE_INVALID: the signature may be fine, a digest just cannot show it
    assertFails(verifyArtifact({ bundle, artifact: digestOf(ARTIFACT), trustedRoot: loadRoot('trusted_root.json'), policy }), 'DIGEST_UNSUPPORTED');
  });

  it('the Rekor v2 and cosign bundles also verify with the embedded public-good root', async () => {
    const embedded = await loadPublicGoodTrustedRoot();
    for (const c of FIXTURE_CASES.filter((f) => ['v0.3-message-signature-rekor2.sigstore.json', 'v0.3-dsse-rekor2.sigstore.json', 'cosign-oci-attestation.sigstore.json', 'slsa-v1-delegator.sigstore.json'].includes(f.bundle))) {
      const result = verifyArtifact({ bundle: loadBundle(c.bundle), artifact: c.artifact, trustedRoot: embedded, policy: c.policy() });
      assert.equal(result.ok, true, result.ok ? c.bundle : `${c.bundle}: ${result.code} ${result.reason}`);
    }
  });
});

describe('verifier thresholds follow the trusted root and the signer', () => {
  const json = fixtureJson('trusted_root.json');
  const withRoot = (change: Record<string, unknown>) => parseTrustedRoot(Buffer.from(JSON.stringify({ ...json, ...change })), 'variant');
  const rekor2 = loadBundle('v0.3-message-signature-rekor2.sigstore.json');
  const tsaOnly = loadBundle('v0.3-message-signature-cert-tsa.sigstore.json');
  const setOnly = loadBundle('cosign-oci-attestation.sigstore.json');

  it('certificates: one verified timestamp; SCTs only when the root has CT logs (private instances without one are first-class)', () => {
    assert.deepEqual(verifierOptions({ bundle: rekor2, trustedRoot: withRoot({}), policy: BRIAN }), { timestampThreshold: 1, ctlogThreshold: 1, tlogThreshold: 0 });
    assert.equal(verifierOptions({ bundle: rekor2, trustedRoot: withRoot({ ctlogs: [] }), policy: BRIAN }).ctlogThreshold, 0);
  });

  it('certificates: a tlog entry when the root has logs, unless a TSA timestamp anchors the time', () => {
    assert.equal(verifierOptions({ bundle: setOnly, trustedRoot: withRoot({}), policy: CODY }).tlogThreshold, 1);
    assert.equal(verifierOptions({ bundle: setOnly, trustedRoot: withRoot({ tlogs: [] }), policy: CODY }).tlogThreshold, 0);
    assert.equal(verifierOptions({ bundle: tsaOnly, trustedRoot: withRoot({}), policy: BRIAN }).tlogThreshold, 0);
  });

  it('keys: nothing required, everything present verified', () => {
    assert.deepEqual(verifierOptions({ bundle: loadBundle('v0.1-message-signature-public-key.sigstore.json'), trustedRoot: withRoot({}), policy: fixtureKeyPolicy() }), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  });
});

describe('what must not verify', () => {
  const root = () => loadRoot('trusted_root.json');
  const bytes = { kind: 'bytes', bytes: ARTIFACT } as const;
  const certBundles = FIXTURE_CASES.filter((c) => c.root === 'trusted_root.json' && c.policy().kind === 'certificate');

  it('another identity, including substrings, superstrings and pattern look-alikes', () => {
    for (const identity of ['alice@example.com', 'rian@dehamer.com', 'brian@dehamer.co', 'brian@dehamer.com.evil.example', 'Brian@dehamer.com', 'brian@dehamer\\.com', '.*', 'brian@dehamer.com ']) {
      for (const c of certBundles) {
        assertFails(verifyArtifact({ bundle: loadBundle(c.bundle), artifact: c.artifact, trustedRoot: root(), policy: { ...BRIAN, identity } }), 'SIGNER_MISMATCH');
      }
    }
  });

  it('another issuer', () => {
    for (const issuer of ['https://accounts.google.com', 'https://github.com/login/oauth/', 'https://github.com/login', 'https://token.actions.githubusercontent.com']) {
      for (const c of certBundles) {
        assertFails(verifyArtifact({ bundle: loadBundle(c.bundle), artifact: c.artifact, trustedRoot: root(), policy: { ...BRIAN, issuer } }), 'SIGNER_MISMATCH');
      }
    }
    assertFails(
      verifyArtifact({ bundle: loadBundle('cosign-oci-attestation.sigstore.json'), artifact: { kind: 'digest', sha256: Buffer.from(OCI_SUBJECT_SHA256, 'hex') }, trustedRoot: loadRoot('trusted_root_public_good.json'), policy: { ...CODY, issuer: 'https://accounts.google.com' } }),
      'SIGNER_MISMATCH',
    );
  });

  it('another key, or a key where a certificate signed and vice versa', () => {
    assertFails(verifyArtifact({ bundle: loadBundle('v0.1-message-signature-public-key.sigstore.json'), artifact: bytes, trustedRoot: root(), policy: otherKeyPolicy() }), 'SIGNATURE_INVALID');
    assertFails(verifyArtifact({ bundle: loadBundle('v0.1-message-signature-public-key.sigstore.json'), artifact: digestOf(ARTIFACT), trustedRoot: root(), policy: otherKeyPolicy() }), 'SIGNATURE_INVALID');
    assertFails(verifyArtifact({ bundle: loadBundle('v0.1-message-signature-cert.sigstore.json'), artifact: bytes, trustedRoot: root(), policy: fixtureKeyPolicy() }), 'SIGNER_MISMATCH');
    assertFails(verifyArtifact({ bundle: loadBundle('v0.1-message-signature-public-key.sigstore.json'), artifact: bytes, trustedRoot: root(), policy: BRIAN }), 'SIGNER_MISMATCH');
  });

  it('a changed artefact, as bytes or as digest', () => {
    const changed = Buffer.from('hello, world?');
    for (const c of FIXTURE_CASES.filter((f) => f.artifact.kind === 'bytes')) {
      assertFails(verifyArtifact({ bundle: loadBundle(c.bundle), artifact: { kind: 'bytes', bytes: changed }, trustedRoot: root(), policy: c.policy() }), 'ARTIFACT_MISMATCH');
      assertFails(verifyArtifact({ bundle: loadBundle(c.bundle), artifact: digestOf(changed), trustedRoot: root(), policy: c.policy() }), 'ARTIFACT_MISMATCH');
    }
    assertFails(
      verifyArtifact({ bundle: loadBundle('cosign-oci-attestation.sigstore.json'), artifact: digestOf(changed), trustedRoot: loadRoot('trusted_root_public_good.json'), policy: CODY }),
      'ARTIFACT_MISMATCH',
    );
  });

  it('a bundle checked against a root that does not hold its authorities', () => {
    // The sigstore-js bundles' TSA is a local mock that the public-good root does not list.
    assertFails(verifyArtifact({ bundle: loadBundle('v0.3-message-signature-cert-tsa.sigstore.json'), artifact: bytes, trustedRoot: loadRoot('trusted_root_public_good.json'), policy: BRIAN }), 'TIMESTAMP_INVALID');
    // A private root with only a CA and no log or TSA cannot verify the SET of a public-good bundle.
    const json = fixtureJson('trusted_root.json');
    const caOnly = parseTrustedRoot(Buffer.from(JSON.stringify({ mediaType: json['mediaType'], certificateAuthorities: json['certificateAuthorities'] })), 'ca-only');
    const r = verifyArtifact({ bundle: loadBundle('v0.1-message-signature-cert.sigstore.json'), artifact: bytes, trustedRoot: caOnly, policy: BRIAN });
    assert.equal(r.ok, false);
  });

  it('a certificate signature with no signed time', () => {
    const json = fixtureJson('v0.3-message-signature-cert-tsa.sigstore.json');
    const material = json['verificationMaterial'] as Record<string, unknown>;
    const bundle = fromSerialized({ ...json, verificationMaterial: { ...material, timestampVerificationData: { rfc3161Timestamps: [] } } });
    assertFails(verifyArtifact({ bundle, artifact: bytes, trustedRoot: root(), policy: BRIAN }), 'NO_VERIFIED_TIMESTAMP');
  });

  it('a flipped signature byte', () => {
    const json = fixtureJson('v0.3-message-signature-cert-tsa.sigstore.json');
    const message = json['messageSignature'] as Record<string, unknown>;
    const signature = Buffer.from(message['signature'] as string, 'base64');
    signature.writeUInt8(signature.readUInt8(10) ^ 0x01, 10);
    const bundle = fromSerialized({ ...json, messageSignature: { ...message, signature: signature.toString('base64') } });
    const result = verifyArtifact({ bundle, artifact: bytes, trustedRoot: root(), policy: BRIAN });
    assert.equal(result.ok, false);
  });

  it('a DSSE payload that is not in-toto, when an attestation is required', () => {
    assertFails(verifyArtifact({ bundle: loadBundle('v0.1-dsse-cert.sigstore.json'), artifact: bytes, trustedRoot: root(), policy: BRIAN, envelope: 'attestation' }), 'PAYLOAD_TYPE');
  });

  it('a DSSE envelope whose payload type was changed after signing', () => {
    const json = fixtureJson('v0.1-dsse-cert.sigstore.json');
    const envelope = json['dsseEnvelope'] as Record<string, unknown>;
    const bundle = fromSerialized({ ...json, dsseEnvelope: { ...envelope, payloadType: 'application/octet-stream' } });
    assertFails(verifyArtifact({ bundle, artifact: bytes, trustedRoot: root(), policy: BRIAN }), 'SIGNATURE_INVALID');
  });

  it('an SCT from a CT log the root does not list', () => {
    const json = fixtureJson('trusted_root.json');
    const noCt = parseTrustedRoot(Buffer.from(JSON.stringify({ ...json, ctlogs: [] })), 'no-ct');
    assertFails(verifyArtifact({ bundle: loadBundle('v0.3-message-signature-rekor2.sigstore.json'), artifact: bytes, trustedRoot: noCt, policy: BRIAN }), 'CERTIFICATE_INVALID');
  });

  it('an attestation whose subject is another artefact', () => {
    const bundle: LoadedBundle = loadBundle('slsa-v1-delegator.sigstore.json');
    assertFails(verifyArtifact({ bundle, artifact: { kind: 'digest', sha256: Buffer.alloc(32, 1) }, trustedRoot: loadRoot('trusted_root_public_good.json'), policy: SLSA_DELEGATOR, envelope: 'attestation' }), 'ARTIFACT_MISMATCH');
  });
});
