// Tampered variants of the clean sample for the SIG and ATT checks, each named for the attack it carries
// and listed with the finding that must catch it (STYLE §8). The sample signs keylessly with its own
// Sigstore instance; the instance is deterministic from the seed, so the genuine pipeline identity can
// sign again here (as a compromised or faulty pipeline would), and an attacker's instance signs too.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FindingId } from '../../shared/finding-ids.js';
import { DEFAULT_SAMPLE_CREATED_AT, DEFAULT_SAMPLE_SEED } from '../../main/engine/sample/generate-sample.js';
import {
  addBundleReferrer,
  addCosignManifest,
  attestationLayer,
  cosignTag,
  imageStatement,
  IN_TOTO_PAYLOAD_TYPE,
  KIND_ANNOTATION,
  KIND_ATTESTATIONS,
  KIND_IMAGE,
  KIND_SIGNATURES,
  signatureLayer,
  simpleSigningPayload,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
} from '../../main/engine/sample/oci/cosign.js';
import { ANNOTATION_REF_NAME, MEDIA_TYPE_INDEX, OciLayout, type Descriptor } from '../../main/engine/sample/oci/layout.js';
import { SAMPLE_IMAGE_NAME, SBOM_PREDICATE_TYPE, sampleSigner, sampleSigstoreInstance, signManifestKeyless } from '../../main/engine/sample/release-signing.js';
import { buildScenario } from '../../main/engine/sample/scenario.js';
import { createTestInstance, type SignerIdentity, type TestSigstoreInstance } from '../../main/engine/sample/sigstore/instance.js';

export interface TamperedSignatureSample {
  readonly name: string;
  /** Changes a copy of the clean bundle in place. */
  readonly apply: (bundleDir: string) => void;
  readonly expect: FindingId;
  /** The bundle path the failing finding must name. */
  readonly where: string;
  /** When true, the expected finding is the only failing finding id: the sample breaks one rule and nothing else. */
  readonly only?: boolean;
}

const MINUTE_MS = 60_000;
const scenario = () => buildScenario(DEFAULT_SAMPLE_SEED, Date.parse(DEFAULT_SAMPLE_CREATED_AT));
const createdAt = () => new Date(Date.parse(DEFAULT_SAMPLE_CREATED_AT));
const pipeline = (): SignerIdentity => sampleSigner(scenario());
const genuineInstance = (): TestSigstoreInstance => sampleSigstoreInstance(scenario());
/** Another Sigstore instance, from another seed: its CA, log and TSA are no anchors of the assessor's. */
const attackerInstance = (): TestSigstoreInstance => createTestInstance('attacker:sigstore', { now: genuineInstance().now, withCtLog: false, domain: 'sigstore.attacker.example' });

/** manifest.sigstore.json as the genuine release pipeline signs it (keyless, at the bundle's creation time). */
export function signManifestAsPipeline(manifestBytes: Buffer): string {
  return signManifestKeyless(genuineInstance(), manifestBytes, pipeline(), createdAt());
}

type ManifestJson = { files: { path: string; sha256: string; size: number; mediaType?: string }[]; [key: string]: unknown };
type SerializedBundleJson = {
  messageSignature: { signature: string };
  verificationMaterial: { tlogEntries: { inclusionProof: { hashes: string[]; checkpoint: { envelope: string } } }[] } & Record<string, unknown>;
} & Record<string, unknown>;

function readManifest(dir: string): ManifestJson {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestJson;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes manifest.json and its signature, made by `sign`. */
function writeManifest(dir: string, manifest: ManifestJson, sign: (bytes: Buffer) => string): void {
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'manifest.json'), bytes);
  writeFileSync(join(dir, 'manifest.sigstore.json'), sign(bytes));
}

/** Edits the manifest's signature bundle as JSON; nothing is re-signed. */
function editManifestSignature(dir: string, edit: (bundle: SerializedBundleJson) => void): void {
  const path = join(dir, 'manifest.sigstore.json');
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as SerializedBundleJson;
  edit(bundle);
  writeFileSync(path, `${JSON.stringify(bundle, null, 2)}\n`);
}

function flipByte(base64: string, fromEnd: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - fromEnd]! ^= 0x01;
  return bytes.toString('base64');
}

function manifestSignedBy(instance: TestSigstoreInstance, signer: SignerIdentity, options: Parameters<TestSigstoreInstance['signMessage']>[2] = {}): (bytes: Buffer) => string {
  return (bytes) => `${JSON.stringify(instance.signMessage(bytes, signer, { at: createdAt(), ...options }), null, 2)}\n`;
}

// --- the image layout, rebuilt around the genuine image blobs ------------------------------------------

const IMAGE_DIR = `images/${SAMPLE_IMAGE_NAME}`;

export interface ImageParts {
  readonly layout: OciLayout;
  /** The image index.json lists: the image manifest, or for a multi-platform image its image index. */
  readonly image: Descriptor;
  /** For a multi-platform image: the sample's image manifest, which the index lists for linux/amd64. */
  readonly platform: Descriptor | null;
  readonly reference: string;
  readonly instance: TestSigstoreInstance;
  readonly signer: SignerIdentity;
  readonly at: Date;
  readonly sbom: unknown;
}

/**
 * Replaces images/<name>/ by a layout holding the same image (its blobs copied unchanged) and whatever
 * signatures, attestations and referrers `build` adds; lists the new files in the manifest and re-signs it.
 */
function rebuildImage(dir: string, build: (parts: ImageParts) => void, options: { multiPlatform?: boolean } = {}): void {
  const root = join(dir, IMAGE_DIR);
  const blob = (digest: string) => readFileSync(join(root, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { manifests: (Descriptor & { annotations: Record<string, string> })[] };
  const entry = index.manifests.find((m) => m.annotations[KIND_ANNOTATION] === KIND_IMAGE)!;
  const manifestBytes = blob(entry.digest);
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
  const layout = new OciLayout();
  for (const part of [manifest.config, ...manifest.layers]) layout.addBlob(part.mediaType, blob(part.digest));
  const manifestDescriptor = layout.addBlob(entry.mediaType, manifestBytes);
  let image = manifestDescriptor;
  if (options.multiPlatform === true) {
    // The image as `docker buildx` pushes it and `cosign save` writes it: an image index naming the manifest for linux/amd64.
    const platform = { mediaType: manifestDescriptor.mediaType, size: manifestDescriptor.size, digest: manifestDescriptor.digest, platform: { architecture: 'amd64', os: 'linux' } };
    image = layout.addBlob(MEDIA_TYPE_INDEX, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: [platform] })));
    layout.list(image, { annotations: { ...entry.annotations, [KIND_ANNOTATION]: KIND_IMAGE_INDEX } });
  } else {
    layout.list(image, { annotations: entry.annotations });
  }
  const s = scenario();
  build({
    layout,
    image,
    platform: options.multiPlatform === true ? manifestDescriptor : null,
    reference: s.servingImage.name,
    instance: genuineInstance(),
    signer: pipeline(),
    at: new Date(s.gates.find((g) => g.name === 'sbom')!.endMs),
    sbom: JSON.parse(readFileSync(join(dir, 'sbom', 'model.cdx.json'), 'utf8')) as unknown,
  });

  rmSync(root, { recursive: true, force: true });
  const listed = readManifest(dir);
  listed.files = listed.files.filter((f) => !f.path.startsWith(`${IMAGE_DIR}/`));
  for (const file of layout.files()) {
    const path = `${IMAGE_DIR}/${file.path}`;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), file.bytes);
    listed.files.push({ path, sha256: sha256Hex(file.bytes), size: file.bytes.length, mediaType: 'application/octet-stream' });
  }
  listed.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  writeManifest(dir, listed, signManifestAsPipeline);
}

/** What `cosign save` writes as the kind of a multi-platform image's index.json entry. */
const KIND_IMAGE_INDEX = 'dev.cosignproject.cosign/imageIndex';

/**
 * Replaces images/<name>/ by a multi-platform image: an image index listing the sample's image manifest for
 * linux/amd64 (records/deployment.json, naming that manifest, then names a platform digest); `build` adds
 * signatures and attestations, e.g. for the index and the platform alike as `cosign sign --recursive` does.
 */
export function rebuildAsMultiPlatformImage(dir: string, build: (parts: ImageParts & { platform: Descriptor }) => void): void {
  rebuildImage(dir, (parts) => build(parts as ImageParts & { platform: Descriptor }), { multiPlatform: true });
}

/** The genuine signature of the image, as the sample writes it. */
export function addSignature(parts: ImageParts, signedDigest: string = parts.image.digest): void {
  const payload = simpleSigningPayload(parts.reference, signedDigest);
  const signature = parts.instance.signMessageDetailed(payload, parts.signer, { at: parts.at });
  const manifest = addCosignManifest(parts.layout, [signatureLayer(payload, signature)]);
  parts.layout.list(manifest, { annotations: { [KIND_ANNOTATION]: KIND_SIGNATURES, [ANNOTATION_REF_NAME]: cosignTag(parts.image.digest, 'sig') } });
}

/** The sample's SBOM (the predicate the genuine attestations carry), edited by `edit`. */
function editedSbom(parts: ImageParts, edit: (bom: Record<string, unknown>) => void): unknown {
  const bom = structuredClone(parts.sbom) as Record<string, unknown>;
  edit(bom);
  return bom;
}

/** The image with its genuine signature and referrer, and an .att layer whose SBOM predicate is edited; all signed by the pipeline. */
function imageWithEditedSbomAttestation(dir: string, edit: (bom: Record<string, unknown>) => void): void {
  rebuildImage(dir, (parts) => {
    addSignature(parts);
    addSbomAttestation({ ...parts, sbom: editedSbom(parts, edit) });
    addSbomReferrer(parts);
  });
}

/** Writes a Sigstore bundle of `statement`, signed by the genuine pipeline, under attestations/, lists it and re-signs the manifest. */
function addAttestationFile(dir: string, path: string, statement: unknown): void {
  const payload = Buffer.from(JSON.stringify(statement));
  const bundle = Buffer.from(`${JSON.stringify(genuineInstance().signDsse(IN_TOTO_PAYLOAD_TYPE, payload, pipeline(), { at: createdAt() }), null, 2)}\n`);
  mkdirSync(join(dir, 'attestations'), { recursive: true });
  writeFileSync(join(dir, path), bundle);
  const manifest = readManifest(dir);
  manifest.files.push({ path, sha256: sha256Hex(bundle), size: bundle.length, mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' });
  manifest.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  writeManifest(dir, manifest, signManifestAsPipeline);
}

type CycloneDxJson = Record<string, unknown>;

/** An SBOM attestation layer whose statement is about `subjectDigest`. */
export function addSbomAttestation(parts: ImageParts, subjectDigest: string = parts.image.digest): void {
  const statement = imageStatement(parts.reference, subjectDigest, SBOM_PREDICATE_TYPE, parts.sbom);
  const signed = parts.instance.signDsseDetailed(IN_TOTO_PAYLOAD_TYPE, statement, parts.signer, { at: parts.at });
  const manifest = addCosignManifest(parts.layout, [attestationLayer(signed, SBOM_PREDICATE_TYPE)]);
  parts.layout.list(manifest, { annotations: { [KIND_ANNOTATION]: KIND_ATTESTATIONS, [ANNOTATION_REF_NAME]: cosignTag(parts.image.digest, 'att') } });
}

export function addSbomReferrer(parts: ImageParts, subjectDigest: string = parts.image.digest): void {
  const bundle = parts.instance.signDsse(IN_TOTO_PAYLOAD_TYPE, imageStatement(parts.reference, subjectDigest, SBOM_PREDICATE_TYPE, parts.sbom), parts.signer, { at: parts.at });
  const referrer = addBundleReferrer(parts.layout, bundle, parts.image, { content: 'dsse-envelope', predicateType: SBOM_PREDICATE_TYPE, created: parts.at });
  const manifest = JSON.parse(parts.layout.blob(referrer.digest)!.toString('utf8')) as { annotations: Record<string, string> };
  parts.layout.list(referrer, { artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE, annotations: manifest.annotations });
}

const OTHER_IMAGE_DIGEST = `sha256:${sha256Hex(Buffer.from('another image of the same repository'))}`;

export const TAMPERED_SIGNATURE_SAMPLES: readonly TamperedSignatureSample[] = [
  {
    name: 'manifest-signature-byte-changed',
    expect: 'SIG-MANIFEST-SIGNATURE-INVALID',
    where: 'manifest.sigstore.json',
    apply: (dir) =>
      editManifestSignature(dir, (bundle) => {
        bundle.messageSignature.signature = flipByte(bundle.messageSignature.signature, 3);
      }),
  },
  {
    name: 'manifest-certificate-from-other-ca',
    expect: 'SIG-MANIFEST-CERTIFICATE-UNTRUSTED',
    where: 'manifest.sigstore.json',
    // Logged and timestamped by the genuine instance, but certified by another CA.
    apply: (dir) => writeManifest(dir, readManifest(dir), manifestSignedBy(genuineInstance(), pipeline(), { certificateAuthority: attackerInstance().ca })),
  },
  {
    name: 'manifest-certificate-expired-no-timestamp-inside-validity',
    expect: 'SIG-MANIFEST-CERTIFICATE-EXPIRED',
    where: 'manifest.sigstore.json',
    // Certified an hour before the bundle was assembled; logged and timestamped 50 minutes after the certificate expired.
    apply: (dir) => writeManifest(dir, readManifest(dir), manifestSignedBy(genuineInstance(), pipeline(), { at: new Date(createdAt().getTime() - 60 * MINUTE_MS), loggedAt: createdAt() })),
  },
  {
    name: 'manifest-log-entry-for-other-artefact',
    expect: 'SIG-MANIFEST-TLOG-MISMATCH',
    where: 'manifest.sigstore.json',
    apply: (dir) => {
      const instance = genuineInstance();
      const genuine = instance.signMessage(readFileSync(join(dir, 'manifest.json')), pipeline(), { at: createdAt() });
      const other = instance.signMessage(Buffer.from('some other artefact\n'), pipeline(), { at: createdAt() });
      genuine.verificationMaterial.tlogEntries = other.verificationMaterial.tlogEntries;
      writeFileSync(join(dir, 'manifest.sigstore.json'), `${JSON.stringify(genuine, null, 2)}\n`);
    },
  },
  {
    name: 'manifest-inclusion-proof-broken',
    expect: 'SIG-MANIFEST-TLOG-INVALID',
    where: 'manifest.sigstore.json',
    apply: (dir) =>
      editManifestSignature(dir, (bundle) => {
        const proof = bundle.verificationMaterial.tlogEntries[0]!.inclusionProof;
        proof.hashes[0] = flipByte(proof.hashes[0]!, 32);
      }),
  },
  {
    name: 'manifest-log-checkpoint-bad-signature',
    expect: 'SIG-MANIFEST-TLOG-INVALID',
    where: 'manifest.sigstore.json',
    apply: (dir) =>
      editManifestSignature(dir, (bundle) => {
        const checkpoint = bundle.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint;
        const [note, signatureLine] = checkpoint.envelope.split('\n\n');
        const [dash, name, signature] = signatureLine!.trimEnd().split(' ');
        checkpoint.envelope = `${note}\n\n${dash} ${name} ${flipByte(signature!, 2)}\n`;
      }),
  },
  {
    name: 'trusted-root-smuggled-into-bundle',
    expect: 'SIG-MANIFEST-CERTIFICATE-UNTRUSTED',
    where: 'manifest.sigstore.json',
    // An attacker's own Sigstore instance certifies the pipeline's identity and ships its trusted root in the bundle.
    apply: (dir) => {
      const attacker = attackerInstance();
      const root = Buffer.from(attacker.trustedRootJson());
      writeFileSync(join(dir, 'trusted_root.json'), root);
      const manifest = readManifest(dir);
      manifest.files.push({ path: 'trusted_root.json', sha256: sha256Hex(root), size: root.length, mediaType: 'application/json' });
      manifest.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      writeManifest(dir, manifest, manifestSignedBy(attacker, pipeline()));
    },
  },
  {
    name: 'manifest-signed-by-other-identity-same-repo-branch',
    expect: 'SIG-MANIFEST-SIGNER-UNTRUSTED',
    where: 'manifest.sigstore.json',
    apply: (dir) => writeManifest(dir, readManifest(dir), manifestSignedBy(genuineInstance(), { ...pipeline(), identity: pipeline().identity.replace(/@refs\/tags\/.*$/, '@refs/heads/feature') })),
  },
  {
    name: 'manifest-signed-by-identity-extending-the-policy-identity',
    expect: 'SIG-MANIFEST-SIGNER-UNTRUSTED',
    where: 'manifest.sigstore.json',
    apply: (dir) => writeManifest(dir, readManifest(dir), manifestSignedBy(genuineInstance(), { ...pipeline(), identity: `${pipeline().identity}-rc1` })),
  },
  {
    name: 'manifest-signed-through-other-oidc-issuer',
    expect: 'SIG-MANIFEST-SIGNER-UNTRUSTED',
    where: 'manifest.sigstore.json',
    apply: (dir) => writeManifest(dir, readManifest(dir), manifestSignedBy(genuineInstance(), { ...pipeline(), issuer: 'https://gitlab.com' })),
  },
  {
    name: 'image-signature-for-other-digest',
    expect: 'SIG-IMAGE-DIGEST-MISMATCH',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    // A genuine signature by the pipeline, of another image, attached to this one.
    apply: (dir) =>
      rebuildImage(dir, (parts) => {
        addSignature(parts, OTHER_IMAGE_DIGEST);
        addSbomAttestation(parts);
        addSbomReferrer(parts);
      }),
  },
  {
    name: 'image-unsigned',
    expect: 'SIG-IMAGE-UNSIGNED',
    where: 'sha256:',
    apply: (dir) =>
      rebuildImage(dir, (parts) => {
        addSbomAttestation(parts);
        addSbomReferrer(parts);
      }),
  },
  {
    name: 'image-signed-by-other-identity',
    expect: 'SIG-IMAGE-SIGNER-UNTRUSTED',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    apply: (dir) =>
      rebuildImage(dir, (parts) => {
        addSignature({ ...parts, signer: { ...parts.signer, identity: 'mallory@attacker.example' } });
        addSbomAttestation(parts);
        addSbomReferrer(parts);
      }),
  },
  {
    name: 'image-attestation-subject-is-other-image',
    expect: 'ATT-SUBJECT-MISMATCH',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    apply: (dir) =>
      rebuildImage(dir, (parts) => {
        addSignature(parts);
        addSbomAttestation(parts, OTHER_IMAGE_DIGEST);
        addSbomReferrer(parts);
      }),
  },
  {
    name: 'image-referrer-subject-is-other-image',
    expect: 'ATT-SUBJECT-MISMATCH',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    apply: (dir) =>
      rebuildImage(dir, (parts) => {
        addSignature(parts);
        addSbomAttestation(parts);
        addSbomReferrer(parts, OTHER_IMAGE_DIGEST);
      }),
  },
  {
    name: 'image-without-sbom-attestation',
    expect: 'ATT-REQUIRED-MISSING',
    where: 'sha256:',
    apply: (dir) => rebuildImage(dir, (parts) => addSignature(parts)),
  },
  {
    name: 'image-blob-replaced-manifest-resigned',
    expect: 'SIG-IMAGE-LAYOUT-INVALID',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    // The image's tar layer is swapped for other bytes under the same name; the manifest lists the new bytes.
    apply: (dir) => {
      const manifest = readManifest(dir);
      const blobs = readdirSync(join(dir, IMAGE_DIR, 'blobs', 'sha256')).map((name) => `${IMAGE_DIR}/blobs/sha256/${name}`);
      const largest = blobs.map((path) => ({ path, size: readFileSync(join(dir, path)).length })).sort((a, b) => b.size - a.size)[0]!.path;
      const bytes = Buffer.from(readFileSync(join(dir, largest)));
      bytes[bytes.length - 1]! ^= 0x01;
      writeFileSync(join(dir, largest), bytes);
      Object.assign(manifest.files.find((f) => f.path === largest)!, { sha256: sha256Hex(bytes), size: bytes.length });
      writeManifest(dir, manifest, signManifestAsPipeline);
    },
  },
  {
    name: 'attestation-file-about-other-artefact',
    expect: 'ATT-SUBJECT-MISMATCH',
    where: 'attestations/',
    // A genuinely signed SBOM attestation whose subject is a model the bundle does not hold.
    apply: (dir) =>
      addAttestationFile(dir, 'attestations/model.sbom.sigstore.json', {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'artefacts/model.onnx', digest: { sha256: 'e'.repeat(64) } }],
        predicateType: SBOM_PREDICATE_TYPE,
        predicate: {},
      }),
  },
  // SBOM attestations: signed by the pipeline as the policy requires, so only the SBOM rule of ATT breaks.
  {
    name: 'sbom-attestation-about-model-file-not-image',
    expect: 'ATT-SBOM-SUBJECT-NOT-IMAGE',
    where: 'attestations/',
    only: true,
    // The sample's own (valid) SBOM, attested about the model file rather than the image it was made for.
    apply: (dir) => {
      const model = readFileSync(join(dir, 'artefacts', 'model.onnx'));
      addAttestationFile(dir, 'attestations/model.sbom.sigstore.json', {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'artefacts/model.onnx', digest: { sha256: sha256Hex(model) } }],
        predicateType: SBOM_PREDICATE_TYPE,
        predicate: JSON.parse(readFileSync(join(dir, 'sbom', 'model.cdx.json'), 'utf8')) as unknown,
      });
    },
  },
  {
    name: 'image-sbom-attestation-predicate-schema-invalid',
    expect: 'ATT-SBOM-INVALID',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    only: true,
    apply: (dir) =>
      imageWithEditedSbomAttestation(dir, (bom) => {
        (bom['components'] as CycloneDxJson[])[0]!['type'] = 'spaceship';
      }),
  },
  {
    name: 'image-sbom-attestation-model-hash-changed',
    expect: 'ATT-SBOM-MODEL-HASH-MISMATCH',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    only: true,
    apply: (dir) =>
      imageWithEditedSbomAttestation(dir, (bom) => {
        const model = (bom['metadata'] as CycloneDxJson)['component'] as CycloneDxJson;
        (model['hashes'] as CycloneDxJson[])[0]!['content'] = 'e'.repeat(64);
      }),
  },
  {
    name: 'image-sbom-attestation-model-component-removed',
    expect: 'ATT-SBOM-MODEL-NOT-LISTED',
    where: `${IMAGE_DIR}/blobs/sha256/`,
    only: true,
    // The model component and its dependency entry go; the SBOM stays valid and lists everything else.
    apply: (dir) =>
      imageWithEditedSbomAttestation(dir, (bom) => {
        const metadata = bom['metadata'] as CycloneDxJson;
        const ref = (metadata['component'] as CycloneDxJson)['bom-ref'];
        delete metadata['component'];
        bom['dependencies'] = (bom['dependencies'] as CycloneDxJson[]).filter((d) => d['ref'] !== ref);
      }),
  },
];
