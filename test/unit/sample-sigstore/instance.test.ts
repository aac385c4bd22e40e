import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { createTestInstance } from '../../../main/engine/sample/sigstore/instance.js';
import { parseSignatureBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { parseTrustedRoot } from '../../../main/engine/sigstore/trusted-root.js';
import { verifyArtifact } from '../../../main/engine/sigstore/verify-artifact.js';
import { cloneBundle, NOW, RELEASE_MANAGER, RELEASE_WORKFLOW, verificationCode, type VerifyRequest } from './helpers.js';

const ARTIFACT = Buffer.from('model weights, or a manifest.json\n');
const MINUTE = 60_000;

function statementFor(artifact: Buffer): Buffer {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'artefacts/model.onnx', digest: { sha256: createHash('sha256').update(artifact).digest('hex') } }],
    predicateType: 'https://cyclonedx.org/bom',
    predicate: { bomFormat: 'CycloneDX', specVersion: '1.6' },
  };
  return Buffer.from(JSON.stringify(statement));
}

for (const withCtLog of [true, false]) {
  describe(`test Sigstore instance, ${withCtLog ? 'with a CT log' : 'private, without a CT log'}`, () => {
    const instance = createTestInstance('seed-a', { now: NOW, withCtLog });
    const trustedRoot = instance.trustedRoot();
    const messageBundle = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW);
    const dsseBundle = instance.signDsse('application/vnd.in-toto+json', statementFor(ARTIFACT), RELEASE_MANAGER, { at: new Date(NOW.getTime() + 5 * MINUTE) });
    const message: VerifyRequest = { bundle: messageBundle, artifact: ARTIFACT, trustedRoot, policy: RELEASE_WORKFLOW, withCtLog };
    const envelope: VerifyRequest = { bundle: dsseBundle, trustedRoot, policy: RELEASE_MANAGER, withCtLog };

    it('lists a CT log in its trusted root exactly when it has one', () => {
      assert.equal(trustedRoot.ctlogs.length, withCtLog ? 1 : 0);
      assert.equal(trustedRoot.tlogs.length, 1);
      assert.equal(trustedRoot.certificateAuthorities[0]!.certChain.certificates.length, 2);
      assert.equal(trustedRoot.timestampAuthorities[0]!.certChain.certificates.length, 2);
    });

    it('signs a message (URI identity) that @sigstore/verify accepts for exactly that identity and issuer', () => {
      assert.equal(verificationCode(message), 'OK');
      assert.equal(messageBundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
      assert.equal(messageBundle.verificationMaterial.tlogEntries[0]!.kindVersion!.kind, 'hashedrekord');
    });

    it('signs a DSSE envelope (email identity) that @sigstore/verify accepts', () => {
      assert.equal(verificationCode(envelope), 'OK');
      assert.equal(dsseBundle.verificationMaterial.tlogEntries[0]!.kindVersion!.kind, 'dsse');
    });

    it('gives every bundle two verified times: the SET and the RFC 3161 timestamp', () => {
      for (const request of [message, envelope]) {
        const entity = toSignedEntity(bundleFromJSON(request.bundle), request.artifact ?? Buffer.alloc(0));
        const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), { tlogThreshold: 1, ctlogThreshold: withCtLog ? 1 : 0, timestampThreshold: 2 });
        assert.doesNotThrow(() => verifier.verify(entity, undefined));
      }
    });

    it('fails for another identity or another issuer', () => {
      assert.equal(verificationCode({ ...message, policy: { ...RELEASE_WORKFLOW, identity: `${RELEASE_WORKFLOW.identity}x` } }), 'UNTRUSTED_SIGNER_ERROR');
      assert.equal(verificationCode({ ...message, policy: RELEASE_MANAGER }), 'UNTRUSTED_SIGNER_ERROR');
      assert.equal(verificationCode({ ...message, policy: { ...RELEASE_WORKFLOW, issuer: 'https://accounts.google.com' } }), 'UNTRUSTED_SIGNER_ERROR');
      assert.equal(verificationCode({ ...envelope, policy: RELEASE_WORKFLOW }), 'UNTRUSTED_SIGNER_ERROR');
    });

    it('fails for a changed artefact or payload', () => {
      assert.equal(verificationCode({ ...message, artifact: Buffer.from('model weights, or a manifest.json!\n') }), 'SIGNATURE_ERROR');
      const tampered = cloneBundle(dsseBundle);
      const statement = JSON.parse(Buffer.from(tampered.dsseEnvelope!.payload, 'base64').toString('utf8')) as { subject: { digest: { sha256: string } }[] };
      statement.subject[0]!.digest.sha256 = '0'.repeat(64);
      tampered.dsseEnvelope!.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      assert.notEqual(verificationCode({ ...envelope, bundle: tampered }), 'OK');
    });

    it('fails for a signature byte changed', () => {
      const tampered = cloneBundle(messageBundle);
      const signature = Buffer.from(tampered.messageSignature!.signature, 'base64');
      signature[signature.length - 3]! ^= 0x01;
      tampered.messageSignature!.signature = signature.toString('base64');
      assert.notEqual(verificationCode({ ...message, bundle: tampered }), 'OK');
    });

    it('fails for a certificate issued by another CA, though logged and timestamped by this instance', () => {
      const other = createTestInstance('seed-b', { now: NOW, withCtLog });
      const bundle = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW, { certificateAuthority: other.ca });
      assert.equal(verificationCode({ ...message, bundle }), 'CERTIFICATE_ERROR');
      assert.equal(verificationCode({ ...message, bundle, trustedRoot: other.trustedRoot() }), 'TIMESTAMP_ERROR');
    });

    it('fails for an expired certificate: logged and timestamped 11 minutes after issuance', () => {
      const bundle = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW, { at: NOW, loggedAt: new Date(NOW.getTime() + 11 * MINUTE) });
      assert.equal(verificationCode({ ...message, bundle }), 'CERTIFICATE_ERROR');
      const inTime = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW, { at: NOW, loggedAt: new Date(NOW.getTime() + 9 * MINUTE) });
      assert.equal(verificationCode({ ...message, bundle: inTime }), 'OK');
    });

    it('fails for a broken inclusion proof, though the SET is intact', () => {
      const bundle = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW);
      const proof = bundle.verificationMaterial.tlogEntries[0]!.inclusionProof!;
      assert.ok(proof.hashes.length > 0, 'the log must hold several entries by now');
      const tampered = cloneBundle(bundle);
      const hash = Buffer.from(tampered.verificationMaterial.tlogEntries[0]!.inclusionProof!.hashes[0]!, 'base64');
      hash[0]! ^= 0x80;
      tampered.verificationMaterial.tlogEntries[0]!.inclusionProof!.hashes[0] = hash.toString('base64');
      assert.equal(verificationCode({ ...message, bundle }), 'OK');
      assert.equal(verificationCode({ ...message, bundle: tampered }), 'TLOG_INCLUSION_PROOF_ERROR');
    });

    it('fails for a checkpoint with a bad signature', () => {
      const tampered = cloneBundle(messageBundle);
      const checkpoint = tampered.verificationMaterial.tlogEntries[0]!.inclusionProof!.checkpoint!;
      const [note, signatureLine] = checkpoint.envelope.split('\n\n');
      const [dash, name, signature] = signatureLine!.trimEnd().split(' ');
      const bytes = Buffer.from(signature!, 'base64');
      bytes[bytes.length - 2]! ^= 0x01;
      checkpoint.envelope = `${note}\n\n${dash} ${name} ${bytes.toString('base64')}\n`;
      assert.equal(verificationCode({ ...message, bundle: tampered }), 'TLOG_INCLUSION_PROOF_ERROR');
    });

    it('fails for a signed entry timestamp that does not match the entry', () => {
      const tampered = cloneBundle(messageBundle);
      const entry = tampered.verificationMaterial.tlogEntries[0]!;
      entry.integratedTime = String(Number(entry.integratedTime) + 1);
      assert.equal(verificationCode({ ...message, bundle: tampered }), 'TLOG_INCLUSION_PROMISE_ERROR');
    });

    it('fails for a timestamp from another TSA', () => {
      const other = createTestInstance('seed-b', { now: NOW, withCtLog });
      const foreign = other.signMessage(ARTIFACT, RELEASE_WORKFLOW);
      const tampered = cloneBundle(messageBundle);
      tampered.verificationMaterial.timestampVerificationData = foreign.verificationMaterial.timestampVerificationData;
      assert.equal(verificationCode({ ...message, bundle: tampered }), 'TIMESTAMP_ERROR');
    });

    it('is accepted by Assay: strict trusted root, canonical bundle, exact identity, logged signer key', () => {
      const root = parseTrustedRoot(Buffer.from(instance.trustedRootJson()), 'test instance');
      assert.equal(root.ctlogs.length, withCtLog ? 1 : 0);
      const loaded = parseSignatureBundle(Buffer.from(JSON.stringify(messageBundle)));
      const result = verifyArtifact({ bundle: loaded, artifact: { kind: 'bytes', bytes: ARTIFACT }, trustedRoot: root, policy: { kind: 'certificate', ...RELEASE_WORKFLOW } });
      assert.equal(result.ok, true, JSON.stringify(result));
      const attestation = verifyArtifact({
        bundle: parseSignatureBundle(Buffer.from(JSON.stringify(dsseBundle))),
        artifact: { kind: 'bytes', bytes: ARTIFACT },
        trustedRoot: root,
        policy: { kind: 'certificate', ...RELEASE_MANAGER },
        envelope: 'attestation',
      });
      assert.equal(attestation.ok, true, JSON.stringify(attestation));
    });
  });
}

describe('test Sigstore instance: SCTs', () => {
  it('a certificate without an SCT fails where the trusted root has a CT log and one is required', () => {
    const withCt = createTestInstance('seed-a', { now: NOW, withCtLog: true });
    const withoutCt = createTestInstance('seed-a', { now: NOW, withCtLog: false });
    // Same seed: same CA keys and names, so only the SCT differs.
    const bundle = withoutCt.signMessage(ARTIFACT, RELEASE_WORKFLOW);
    assert.equal(verificationCode({ bundle, artifact: ARTIFACT, trustedRoot: withCt.trustedRoot(), policy: RELEASE_WORKFLOW, withCtLog: true }), 'CERTIFICATE_ERROR');
  });
});

describe('test Sigstore instance: determinism', () => {
  it('gives the same bytes for the same seed and calls, other bytes for another seed', () => {
    const run = (seed: string) => {
      const instance = createTestInstance(seed, { now: NOW, withCtLog: true });
      return JSON.stringify([
        instance.trustedRootJson(),
        instance.signMessage(ARTIFACT, RELEASE_WORKFLOW),
        instance.signDsse('application/vnd.in-toto+json', statementFor(ARTIFACT), RELEASE_MANAGER),
      ]);
    };
    assert.equal(run('seed-a'), run('seed-a'));
    assert.notEqual(run('seed-a'), run('seed-c'));
  });

  it('numbers log entries in order, each proven against the tree as it was when integrated', () => {
    const instance = createTestInstance('seed-a', { now: NOW });
    const sizes = Array.from({ length: 5 }, () => instance.signMessage(ARTIFACT, RELEASE_WORKFLOW).verificationMaterial.tlogEntries[0]!);
    // Two entries of other tenants come first (DEFAULT_PRIOR_ENTRIES).
    assert.deepEqual(sizes.map((e) => [e.logIndex, e.inclusionProof!.logIndex, e.inclusionProof!.treeSize]), [['2', '2', '3'], ['3', '3', '4'], ['4', '4', '5'], ['5', '5', '6'], ['6', '6', '7']]);
  });
});

describe('a log entry at index 0', () => {
  it('loads (proto3 JSON omits the zero index) and verifies, canonical form required or not', () => {
    const instance = createTestInstance('seed-zero', { now: NOW, priorEntries: 0 });
    const bundle = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW);
    const entry = (bundle.verificationMaterial.tlogEntries ?? [])[0]!;
    assert.ok(entry.logIndex === undefined || entry.logIndex === '0', `index ${String(entry.logIndex)}`);
    const root = parseTrustedRoot(Buffer.from(instance.trustedRootJson()), 'test instance');
    for (const requireCanonical of [false, true]) {
      const loaded = parseSignatureBundle(Buffer.from(JSON.stringify(bundle)), { requireCanonical });
      const result = verifyArtifact({ bundle: loaded, artifact: { kind: 'bytes', bytes: ARTIFACT }, trustedRoot: root, policy: { kind: 'certificate', ...RELEASE_WORKFLOW } });
      assert.equal(result.ok, true, JSON.stringify(result));
    }
    const explicitZero = JSON.parse(JSON.stringify(bundle)) as { verificationMaterial: { tlogEntries: { logIndex?: string }[] } };
    explicitZero.verificationMaterial.tlogEntries[0]!.logIndex = '0';
    assert.doesNotThrow(() => parseSignatureBundle(Buffer.from(JSON.stringify(explicitZero)), { requireCanonical: true }));
  });
});
