// The signer recorded in each kind of log entry (Rekor v1 hashedrekord, dsse, intoto; Rekor v2
// hashedrekord, dsse) is read, and for every fixture it is the key that verifies the bundle's signature.

import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { loggedVerifierKeys, spkiOf } from '../../../main/engine/sigstore/tlog-verifier.js';
import { FIXTURE_CASES, fixtureJson, loadBundle } from './fixtures.js';

describe('the signer a log entry records', () => {
  it('is the bundle signer for every fixture entry, whatever the entry kind', () => {
    const kinds = new Set<string>();
    for (const c of FIXTURE_CASES) {
      const { bundle } = loadBundle(c.bundle);
      const policy = c.policy();
      const material = bundle.verificationMaterial.content;
      const signer =
        policy.kind === 'key'
          ? spkiOf(policy.key.key)
          : spkiOf(new X509Certificate(material.$case === 'certificate' ? material.certificate.rawBytes : material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]!.rawBytes : Buffer.alloc(0)).publicKey);
      for (const entry of bundle.verificationMaterial.tlogEntries) {
        kinds.add(`${entry.kindVersion!.kind} ${entry.kindVersion!.version}`);
        const keys = loggedVerifierKeys(entry.kindVersion!.kind, entry.kindVersion!.version, entry.canonicalizedBody);
        assert.ok(keys.some((k) => k.equals(signer)), c.bundle);
      }
    }
    assert.deepEqual([...kinds].sort(), ['dsse 0.0.1', 'dsse 0.0.2', 'hashedrekord 0.0.1', 'hashedrekord 0.0.2', 'intoto 0.0.2']);
  });

  it('reads another key when the body records another key', () => {
    const entry = ((fixtureJson('v0.1-message-signature-cert.sigstore.json')['verificationMaterial'] as Record<string, unknown>)['tlogEntries'] as Record<string, string>[])[0]!;
    const body = JSON.parse(Buffer.from(entry['canonicalizedBody']!, 'base64').toString('utf8')) as { spec: { signature: { publicKey: { content: string } } } };
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    body.spec.signature.publicKey.content = Buffer.from(other.export({ type: 'spki', format: 'pem' }).toString()).toString('base64');
    const keys = loggedVerifierKeys('hashedrekord', '0.0.1', Buffer.from(JSON.stringify(body)));
    assert.deepEqual(keys, [spkiOf(other)]);
  });

  it('refuses unknown entry kinds and duplicate keys in the body', () => {
    assert.throws(() => loggedVerifierKeys('rekord', '0.0.1', Buffer.from('{"spec": {}}')), /not supported/);
    assert.throws(() => loggedVerifierKeys('hashedrekord', '0.0.1', Buffer.from('{"spec": {}, "spec": {}}')), /duplicate key/);
  });
});
