// Digest-only signature verification (FILE_OR_DIGEST as sha256:<hex>): ECDSA on every supported curve
// and RSA PKCS#1 v1.5 against signatures made by Node's own crypto; tampering fails; Ed25519 is refused.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { PrehashUnsupportedError, verifyDigestSignature } from '../../../main/engine/sigstore/prehash.js';

const message = Buffer.from('the exact bytes of an artefact');
const digest = createHash('sha256').update(message).digest();

describe('signature over a sha256 digest', () => {
  for (const namedCurve of ['prime256v1', 'secp384r1', 'secp521r1']) {
    it(`ECDSA ${namedCurve}`, () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
      for (let i = 0; i < 5; i++) {
        const signature = sign('sha256', message, privateKey);
        assert.equal(verifyDigestSignature(publicKey, digest, signature), true);
        const otherDigest = Buffer.from(digest);
        otherDigest.writeUInt8(otherDigest.readUInt8(0) ^ 1, 0);
        assert.equal(verifyDigestSignature(publicKey, otherDigest, signature), false);
        const damaged = Buffer.from(signature);
        damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 1, damaged.length - 1);
        assert.equal(verifyDigestSignature(publicKey, digest, damaged), false);
      }
      assert.equal(verifyDigestSignature(generateKeyPairSync('ec', { namedCurve }).publicKey, digest, sign('sha256', message, privateKey)), false);
      assert.equal(verifyDigestSignature(publicKey, digest, Buffer.from('3006020100020100', 'hex')), false); // r = s = 0
      assert.equal(verifyDigestSignature(publicKey, digest, Buffer.from('junk')), false);
    });
  }

  it('RSA PKCS#1 v1.5', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = sign('sha256', message, privateKey);
    assert.equal(verifyDigestSignature(publicKey, digest, signature), true);
    assert.equal(verifyDigestSignature(publicKey, createHash('sha256').update('other').digest(), signature), false);
    assert.equal(verifyDigestSignature(publicKey, digest, Buffer.alloc(256, 7)), false);
  });

  it('refuses Ed25519, which signs the message, not a digest', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    assert.throws(() => verifyDigestSignature(publicKey, digest, Buffer.alloc(64)), PrehashUnsupportedError);
  });
});
