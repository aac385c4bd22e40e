// The third-party Sigstore fixtures (test/fixtures/sigstore/, see LICENSE-NOTE.md) and what each must
// verify with: signer policy, trusted root and artefact. One table, used by the unit and CLI tests.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SignerPolicy } from '../../../main/engine/sigstore/identity.js';
import { parseSignatureBundle, type LoadedBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { parseVerificationKey } from '../../../main/engine/sigstore/public-key.js';
import { parseTrustedRoot, type LoadedTrustedRoot } from '../../../main/engine/sigstore/trusted-root.js';
import type { ArtifactInput } from '../../../main/engine/sigstore/verify-artifact.js';

/** dist/test/unit/sigstore/ -> the repository's test/fixtures/sigstore/ */
export const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/sigstore/', import.meta.url));

export function fixturePath(name: string): string {
  return `${FIXTURES}${name}`;
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Record<string, unknown>;
}

export function loadBundle(name: string): LoadedBundle {
  return parseSignatureBundle(fixtureBytes(name));
}

export function loadRoot(name: 'trusted_root.json' | 'trusted_root_public_good.json'): LoadedTrustedRoot {
  return parseTrustedRoot(fixtureBytes(name), name);
}

export const ARTIFACT = fixtureBytes('artifact.txt');
export const ARTIFACT_SHA256 = createHash('sha256').update(ARTIFACT).digest('hex');

/** The fixtures README: certificate bundles were issued to brian@dehamer.com through GitHub OAuth. */
export const BRIAN = { kind: 'certificate', identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' } as const satisfies SignerPolicy;
/** Read from the certificate of cosign-oci-attestation.sigstore.json (SAN and issuer extension). */
export const CODY = { kind: 'certificate', identity: 'cody@soyland.com', issuer: 'https://github.com/login/oauth' } as const satisfies SignerPolicy;
/** Read from the certificate of slsa-v1-delegator.sigstore.json: the SLSA generator's reusable workflow. */
export const SLSA_DELEGATOR = {
  kind: 'certificate',
  identity: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.10.0',
  issuer: 'https://token.actions.githubusercontent.com',
} as const satisfies SignerPolicy;

export function fixtureKeyPolicy(): SignerPolicy {
  return { kind: 'key', key: parseVerificationKey(readFileSync(fixturePath('public-key.pem'), 'utf8'), 'public-key.pem') };
}

export interface FixtureCase {
  readonly bundle: string;
  readonly root: 'trusted_root.json' | 'trusted_root_public_good.json';
  readonly policy: () => SignerPolicy;
  /** The artefact as bytes, or the sha256 an attestation names as its subject. */
  readonly artifact: ArtifactInput;
  /** For the CLI: the FILE_OR_DIGEST argument. */
  readonly artifactArg: string;
  readonly cliPolicy: readonly string[];
}

const artifactFile = { artifact: { kind: 'bytes', bytes: ARTIFACT }, artifactArg: fixturePath('artifact.txt') } as const;
const brianCli = ['--certificate-identity', BRIAN.identity, '--certificate-oidc-issuer', BRIAN.issuer];

export const OCI_SUBJECT_SHA256 = '732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4';
export const SLSA_SUBJECT_SHA256 = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';

export const FIXTURE_CASES: readonly FixtureCase[] = [
  ...['v0.1-dsse-cert', 'v0.1-message-signature-cert', 'v0.3-dsse-rekor2', 'v0.3-message-signature-cert-tsa', 'v0.3-message-signature-rekor2'].map(
    (name): FixtureCase => ({ bundle: `${name}.sigstore.json`, root: 'trusted_root.json', policy: () => BRIAN, ...artifactFile, cliPolicy: brianCli }),
  ),
  {
    bundle: 'v0.1-message-signature-public-key.sigstore.json',
    root: 'trusted_root.json',
    policy: fixtureKeyPolicy,
    ...artifactFile,
    cliPolicy: ['--key', fixturePath('public-key.pem')],
  },
  {
    bundle: 'cosign-oci-attestation.sigstore.json',
    root: 'trusted_root_public_good.json',
    policy: () => CODY,
    artifact: { kind: 'digest', sha256: Buffer.from(OCI_SUBJECT_SHA256, 'hex') },
    artifactArg: `sha256:${OCI_SUBJECT_SHA256}`,
    cliPolicy: ['--certificate-identity', CODY.identity, '--certificate-oidc-issuer', CODY.issuer],
  },
  {
    bundle: 'slsa-v1-delegator.sigstore.json',
    root: 'trusted_root_public_good.json',
    policy: () => SLSA_DELEGATOR,
    artifact: { kind: 'digest', sha256: Buffer.from(SLSA_SUBJECT_SHA256, 'hex') },
    artifactArg: `sha256:${SLSA_SUBJECT_SHA256}`,
    cliPolicy: ['--certificate-identity', SLSA_DELEGATOR.identity, '--certificate-oidc-issuer', SLSA_DELEGATOR.issuer],
  },
];
