// Supply-chain statements signed keyless: slsa-github-generator's SLSA v1 provenance (a Sigstore bundle
// from the public-good instance, slsa-verifier test data) verifies against the certificate identity the
// policy names and the embedded public-good root, and against nothing else.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { readAttestationFile, type AttestationFile } from '../../../main/engine/checks/attestation-files.js';
import { deriveEd25519Key } from '../../../main/engine/sample/keys.js';
import type { CertificateSigner } from '../../../main/engine/schemas/policy.js';
import { loadPublicGoodTrustedRoot } from '../../../main/engine/sigstore/public-good.js';
import { resolveSigner, type ResolvedSigner } from '../../../main/engine/trust/resolve-signers.js';
import { loadTrustStore, type TrustStore } from '../../../main/engine/trust/trust-store.js';

const FIXTURE = join(process.cwd(), 'test', 'fixtures', 'provenance', 'slsa-v1-delegator.sigstore.json');
const SUBJECT = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';
const BUILDER = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.10.0';
const GITHUB_ACTIONS = 'https://token.actions.githubusercontent.com';

let attestation: AttestationFile;
let trust: TrustStore;

before(async () => {
  const read = await readAttestationFile({ path: 'attestations/provenance.sigstore.json', absPath: FIXTURE, size: statSync(FIXTURE).size });
  assert.notEqual(typeof read, 'string', String(read));
  attestation = read as AttestationFile;
  trust = { dir: '(test)', keys: new Map(), developers: new Map(), trustedRoots: new Map([['public-good', await loadPublicGoodTrustedRoot()]]) };
});

const certificate = (identity: string, issuer = GITHUB_ACTIONS): ResolvedSigner => resolveSigner(trust, { certificateIdentity: identity, certificateOidcIssuer: issuer, trustedRoot: 'public-good' } satisfies CertificateSigner);

test('keyless provenance verifies for the builder identity, logged in the public-good Rekor', () => {
  const [result] = attestation.verify(certificate(BUILDER), SUBJECT);
  assert.ok(result?.ok, result?.ok === false ? result.reason : '');
  assert.equal(result.statement.predicateType, 'https://slsa.dev/provenance/v1');
  assert.match(result.signedBy, new RegExp(`^"${BUILDER.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')}" via ${GITHUB_ACTIONS}, logged at index \\d+`));
});

test('another identity, another issuer, or a prefix of the identity is not the signer', () => {
  for (const signer of [certificate(`${BUILDER}x`), certificate(BUILDER.replace('@refs/tags/v1.10.0', '')), certificate(BUILDER, 'https://accounts.google.com')]) {
    const [result] = attestation.verify(signer, SUBJECT);
    assert.equal(result?.ok, false);
    assert.equal(result?.ok === false && result.cause, 'signer-untrusted');
  }
});

test('the statement is bound to its subject', () => {
  const [result] = attestation.verify(certificate(BUILDER), 'e'.repeat(64));
  assert.equal(result?.ok === false && result.cause, 'subject-mismatch');
});

test('a policy that requires a key does not accept a certificate signature', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-keyless-'));
  try {
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'pipeline.pem'), deriveEd25519Key('keyless-test', 'pipeline').publicKeyPem);
    const signer = resolveSigner({ ...trust, keys: (await loadTrustStore(dir)).keys }, { key: 'pipeline' });
    const [result] = attestation.verify(signer, SUBJECT);
    assert.equal(result?.ok === false && result.cause, 'signer-untrusted');
    assert.match(result?.ok === false ? result.reason : '', /signed with a certificate, but the policy requires key "pipeline"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
