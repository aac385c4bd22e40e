import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestInstance } from '../../../main/engine/sample/sigstore/instance.js';
import { NOW, RELEASE_MANAGER, RELEASE_WORKFLOW, verificationCode } from './helpers.js';

const ARTIFACT = Buffer.from('model weights, or a manifest.json\n');

for (const withCtLog of [true, false]) {
  describe(`test Sigstore instance (${withCtLog ? 'with' : 'without'} CT log)`, () => {
    it('signs a message that @sigstore/verify accepts for exactly that identity and issuer', () => {
      const instance = createTestInstance('seed-a', { now: NOW, withCtLog });
      const bundle = instance.signMessage(ARTIFACT, RELEASE_WORKFLOW);
      assert.equal(verificationCode({ bundle, artifact: ARTIFACT, trustedRoot: instance.trustedRoot(), policy: RELEASE_WORKFLOW, withCtLog }), 'OK');
    });
  });
}

describe('smoke', () => {
  it('email SAN', () => {
    const instance = createTestInstance('seed-a', { now: NOW, withCtLog: true });
    const bundle = instance.signMessage(ARTIFACT, RELEASE_MANAGER);
    assert.equal(verificationCode({ bundle, artifact: ARTIFACT, trustedRoot: instance.trustedRoot(), policy: RELEASE_MANAGER, withCtLog: true }), 'OK');
  });
});
