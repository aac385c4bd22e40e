// The sample release's keyless signing: the sample runs its own private Sigstore instance (a Fulcio-like
// CA without a CT log, a Rekor-like log, an RFC 3161 TSA), and the release pipeline signs as its GitLab
// CI identity, the way Fulcio names a GitLab job: the pipeline definition's URI at the release tag
// (`ci_config_ref_uri`), issued through the GitLab instance itself as OIDC issuer. Deterministic: the
// instance's keys come from the seed, its start and every signing time from the scenario, and the
// signing order is fixed (image signature, image attestations, manifest last).

import { addImage, type ImageSpec } from './oci/cosign.js';
import { OciLayout } from './oci/layout.js';
import type { ModelArtefacts } from './artefacts.js';
import type { Scenario } from './scenario.js';
import { createTestInstance, type SignerIdentity, type TestSigstoreInstance } from './sigstore/instance.js';

/** The trusted root's name in the sample trust store (trust/sigstore/sample.json) and the policy. */
export const SAMPLE_TRUSTED_ROOT_NAME = 'sample';
/** The serving image's directory, images/<name>/. */
export const SAMPLE_IMAGE_NAME = 'risk-scorer';
export const SBOM_PREDICATE_TYPE = 'https://cyclonedx.org/bom';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The GitLab CI identity of the release pipeline, as Fulcio certifies it. */
export function sampleSigner(scenario: Scenario): SignerIdentity {
  const repo = new URL(scenario.source.repo);
  return { identity: `${scenario.source.repo}//${scenario.pipelineConfig.path}@${scenario.source.ref}`, issuer: repo.origin };
}

/** The sample's private Sigstore instance: valid from midnight UTC of the day the pipeline started. */
export function sampleSigstoreInstance(scenario: Scenario): TestSigstoreInstance {
  const firstGate = scenario.gates[0];
  const startMs = Math.floor((firstGate?.startMs ?? scenario.createdAtMs) / DAY_MS) * DAY_MS;
  return createTestInstance(`${scenario.seed}:sigstore`, { now: new Date(startMs), withCtLog: false, domain: `sigstore.${new URL(scenario.source.repo).hostname.replace(/^git\./, '')}` });
}

/** manifest.sigstore.json: a keyless signature over the manifest's exact bytes, made when the bundle is assembled. */
export function signManifestKeyless(instance: TestSigstoreInstance, manifestBytes: Buffer, signer: SignerIdentity, at: Date): string {
  return `${JSON.stringify(instance.signMessage(manifestBytes, signer, { at }), null, 2)}\n`;
}

/** The serving image: a small server and the identity of the model it serves (the weights are mounted, not baked in). */
export function sampleImageSpec(scenario: Scenario, artefacts: ModelArtefacts): ImageSpec {
  const packaged = scenario.gates.find((g) => g.name === 'package-and-sign');
  const model = { name: scenario.model.name, version: scenario.model.version, sha256: artefacts.model.sha256, config_sha256: artefacts.config.sha256 };
  return {
    files: [
      { path: 'app/model.json', content: Buffer.from(`${JSON.stringify(model, null, 2)}\n`, 'utf8') },
      { path: 'app/serve.py', content: Buffer.from(SERVER, 'utf8'), mode: 0o755 },
    ],
    created: new Date(Math.floor((packaged?.startMs ?? scenario.createdAtMs) / 1000) * 1000),
    entrypoint: ['/app/serve.py'],
    labels: {
      'org.opencontainers.image.source': scenario.source.repo,
      'org.opencontainers.image.revision': scenario.source.commit,
      'org.opencontainers.image.version': scenario.model.version,
    },
  };
}

/** The image manifest digest of the spec, computed before anything is signed (records name it). */
export async function imageDigestOf(spec: ImageSpec): Promise<string> {
  return (await addImage(new OciLayout(), spec)).digest;
}

const SERVER = `#!/usr/bin/env python3
"""Serves the credit risk classifier: loads the ONNX model whose sha256 app/model.json names and refuses any other."""
import hashlib, json, sys

def main() -> int:
    expected = json.load(open("/app/model.json"))["sha256"]
    weights = open("/models/model.onnx", "rb").read()
    if hashlib.sha256(weights).hexdigest() != expected:
        print("model digest mismatch", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
`;
