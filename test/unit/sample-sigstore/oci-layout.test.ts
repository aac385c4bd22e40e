import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import tar from 'tar-stream';
import {
  BUNDLE_ANNOTATION,
  buildSignedImageLayout,
  CERTIFICATE_ANNOTATION,
  CHAIN_ANNOTATION,
  DSSE_ENVELOPE_MEDIA_TYPE,
  KIND_ATTESTATIONS,
  KIND_IMAGE,
  KIND_SIGNATURES,
  SIGNATURE_ANNOTATION,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  type SignedImageOptions,
} from '../../../main/engine/sample/oci/cosign.js';
import { createTestInstance } from '../../../main/engine/sample/sigstore/instance.js';
import { toPem } from '../../../main/engine/sample/sigstore/x509.js';
import { parseSignatureBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { parseTrustedRoot } from '../../../main/engine/sigstore/trusted-root.js';
import { verifyArtifact } from '../../../main/engine/sigstore/verify-artifact.js';
import { NOW, RELEASE_WORKFLOW } from './helpers.js';

const REFERENCE = 'registry.acme.example/credit/credit-model';
const SBOM_PREDICATE = 'https://cyclonedx.org/bom';
const PROVENANCE_PREDICATE = 'https://slsa.dev/provenance/v1';
const MODEL = Buffer.from('not really onnx, but bytes of a model\n');

function options(): SignedImageOptions {
  return {
    image: {
      files: [
        { path: 'app/model.onnx', content: MODEL },
        { path: 'app/config.json', content: Buffer.from('{"threshold":0.5}\n') },
      ],
      created: NOW,
      entrypoint: ['/app/serve'],
      labels: { 'org.opencontainers.image.source': 'https://github.com/acme/credit-model' },
    },
    dockerReference: REFERENCE,
    tag: 'v1.4.0',
    instance: createTestInstance('seed-oci', { now: NOW, withCtLog: false }),
    signer: RELEASE_WORKFLOW,
    attestations: [{ predicateType: SBOM_PREDICATE, predicate: { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] } }],
    referrers: [{ predicateType: PROVENANCE_PREDICATE, predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } } }],
  };
}

// --- schema-level checks of an OCI image layout (image-spec v1.1: image-layout.md, descriptor.md, manifest.md, image-index.md)

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

interface Manifest {
  schemaVersion: number;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

function checkDescriptor(value: unknown, where: string): Descriptor {
  assert.ok(typeof value === 'object' && value !== null, `${where} is an object`);
  const d = value as Record<string, unknown>;
  for (const key of Object.keys(d)) assert.ok(['mediaType', 'digest', 'size', 'annotations', 'artifactType', 'urls', 'data', 'platform'].includes(key), `${where}: unknown field ${key}`);
  assert.ok(typeof d['mediaType'] === 'string' && MEDIA_TYPE.test(d['mediaType']), `${where}.mediaType`);
  assert.ok(typeof d['digest'] === 'string' && DIGEST.test(d['digest']), `${where}.digest`);
  assert.ok(Number.isSafeInteger(d['size']) && (d['size'] as number) >= 0, `${where}.size`);
  if (d['annotations'] !== undefined) {
    assert.ok(typeof d['annotations'] === 'object' && d['annotations'] !== null, `${where}.annotations`);
    for (const v of Object.values(d['annotations'] as object)) assert.equal(typeof v, 'string', `${where}.annotations values are strings`);
  }
  if (d['artifactType'] !== undefined) assert.ok(typeof d['artifactType'] === 'string' && MEDIA_TYPE.test(d['artifactType']), `${where}.artifactType`);
  return d as unknown as Descriptor;
}

/** Reads and checks a whole layout; returns the blobs by digest and the index's descriptors. */
async function checkLayout(dir: string): Promise<{ blobs: Map<string, Buffer>; index: Descriptor[] }> {
  const top = (await readdir(dir)).sort();
  assert.deepEqual(top, ['blobs', 'index.json', 'oci-layout']);
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
  assert.deepEqual(await readdir(join(dir, 'blobs')), ['sha256']);
  const blobs = new Map<string, Buffer>();
  for (const name of await readdir(join(dir, 'blobs', 'sha256'))) {
    const bytes = await readFile(join(dir, 'blobs', 'sha256', name));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), name, `blob ${name} is content-addressed`);
    blobs.set(`sha256:${name}`, bytes);
  }
  const referenced = new Set<string>();
  const blobOf = (d: Descriptor, where: string): Buffer => {
    const bytes = blobs.get(d.digest);
    assert.ok(bytes !== undefined, `${where}: blob ${d.digest} exists`);
    assert.equal(bytes.length, d.size, `${where}: size matches the blob`);
    referenced.add(d.digest);
    return bytes;
  };
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { schemaVersion: unknown; mediaType: unknown; manifests: unknown };
  assert.equal(index.schemaVersion, 2);
  assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.ok(Array.isArray(index.manifests) && index.manifests.length > 0);
  const entries = (index.manifests as unknown[]).map((m, i) => checkDescriptor(m, `index.manifests[${i}]`));
  const manifestDigests = new Set(entries.map((e) => e.digest));
  for (const [i, entry] of entries.entries()) {
    const where = `index.manifests[${i}]`;
    assert.equal(entry.mediaType, 'application/vnd.oci.image.manifest.v1+json', where);
    const manifest = JSON.parse(blobOf(entry, where).toString('utf8')) as Manifest;
    assert.equal(manifest.schemaVersion, 2, `${where}: schemaVersion`);
    assert.equal(manifest.mediaType, entry.mediaType, `${where}: mediaType matches the descriptor`);
    assert.equal(entry.artifactType, manifest.artifactType, `${where}: artifactType matches the manifest`);
    const config = checkDescriptor(manifest.config, `${where}.config`);
    const configBytes = blobOf(config, `${where}.config`);
    assert.ok(Array.isArray(manifest.layers) && manifest.layers.length > 0, `${where}.layers`);
    const layers = manifest.layers.map((l, j) => checkDescriptor(l, `${where}.layers[${j}]`));
    layers.forEach((l, j) => blobOf(l, `${where}.layers[${j}]`));
    if (config.mediaType === 'application/vnd.oci.image.config.v1+json') {
      const parsed = JSON.parse(configBytes.toString('utf8')) as { rootfs: { type: string; diff_ids: string[] }; history: unknown[] };
      assert.equal(parsed.rootfs.type, 'layers');
      // Uncompressed layers: the diff id is the layer digest.
      assert.deepEqual(parsed.rootfs.diff_ids, layers.map((l) => l.digest), `${where}: config lists every layer`);
      assert.equal(parsed.history.length, layers.length);
    } else {
      assert.equal(config.mediaType, 'application/vnd.oci.empty.v1+json', `${where}: an artifact's config is the empty descriptor`);
      assert.ok(manifest.artifactType !== undefined, `${where}: an artifact manifest names its artifactType`);
      assert.equal(config.digest, 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    }
    if (manifest.subject !== undefined) {
      const subject = checkDescriptor(manifest.subject, `${where}.subject`);
      assert.ok(manifestDigests.has(subject.digest), `${where}: the subject is a manifest of this layout`);
      assert.equal(blobs.get(subject.digest)!.length, subject.size, `${where}: subject size`);
    }
  }
  assert.deepEqual([...blobs.keys()].filter((d) => !referenced.has(d)), [], 'no blob is unreferenced');
  return { blobs, index: entries };
}

async function tarEntries(bytes: Buffer): Promise<{ name: string; type: string; content: Buffer }[]> {
  const extract = tar.extract();
  const entries: { name: string; type: string; content: Buffer }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        entries.push({ name: header.name, type: header.type ?? '?', content: Buffer.concat(chunks) });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(bytes);
  await done;
  return entries;
}

describe('cosign OCI image layout of the sample image', () => {
  let dir = '';
  let built: Awaited<ReturnType<typeof buildSignedImageLayout>>;
  let layout: Awaited<ReturnType<typeof checkLayout>>;
  const opts = options();
  const trustedRoot = opts.instance.trustedRoot();
  const kind = (k: string) => layout.index.filter((e) => e.annotations?.['kind'] === k);
  const manifestOf = (d: { digest: string }) => JSON.parse(layout.blobs.get(d.digest)!.toString('utf8')) as Manifest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-oci-layout-'));
    built = await buildSignedImageLayout(opts);
    await built.layout.writeTo(dir);
    layout = await checkLayout(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is a valid OCI image layout listing image, signatures, attestations and one referrer', () => {
    assert.equal(kind(KIND_IMAGE).length, 1);
    assert.equal(kind(KIND_SIGNATURES).length, 1);
    assert.equal(kind(KIND_ATTESTATIONS).length, 1);
    assert.equal(layout.index.filter((e) => e.artifactType === SIGSTORE_BUNDLE_MEDIA_TYPE).length, 1);
    assert.equal(kind(KIND_IMAGE)[0]!.digest, built.image.digest);
    assert.equal(kind(KIND_SIGNATURES)[0]!.annotations!['org.opencontainers.image.ref.name'], `sha256-${built.image.digest.slice(7)}.sig`);
    assert.equal(kind(KIND_ATTESTATIONS)[0]!.annotations!['org.opencontainers.image.ref.name'], `sha256-${built.image.digest.slice(7)}.att`);
  });

  it('holds the image files in its one tar layer', async () => {
    const image = manifestOf(kind(KIND_IMAGE)[0]!);
    assert.equal(image.layers[0]!.mediaType, 'application/vnd.oci.image.layer.v1.tar');
    const entries = await tarEntries(layout.blobs.get(image.layers[0]!.digest)!);
    assert.deepEqual(entries.map((e) => `${e.type} ${e.name}`), ['directory app/', 'file app/config.json', 'file app/model.onnx']);
    assert.deepEqual(entries[2]!.content, MODEL);
  });

  it('signs a simple-signing payload whose docker-manifest-digest is the image manifest digest', () => {
    const signatures = manifestOf(kind(KIND_SIGNATURES)[0]!);
    assert.equal(signatures.layers.length, 1);
    const layer = signatures.layers[0]!;
    assert.equal(layer.mediaType, SIMPLE_SIGNING_MEDIA_TYPE);
    const payload = JSON.parse(layout.blobs.get(layer.digest)!.toString('utf8')) as { critical: { identity: { 'docker-reference': string }; image: { 'docker-manifest-digest': string }; type: string } };
    assert.equal(payload.critical.image['docker-manifest-digest'], kind(KIND_IMAGE)[0]!.digest);
    assert.equal(payload.critical.identity['docker-reference'], REFERENCE);
    assert.equal(payload.critical.type, 'cosign container image signature');
    assert.deepEqual(Object.keys(layer.annotations!).sort(), [BUNDLE_ANNOTATION, CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, SIGNATURE_ANNOTATION].sort());
    assert.equal(layer.annotations![CHAIN_ANNOTATION], opts.instance.ca.chain.map((der) => toPem(der)).join(''));
  });

  it('has an image signature that verifies from its annotations (as a legacy cosign bundle, through Assay)', () => {
    const layer = manifestOf(kind(KIND_SIGNATURES)[0]!).layers[0]!;
    const payload = layout.blobs.get(layer.digest)!;
    const legacy = {
      base64Signature: layer.annotations![SIGNATURE_ANNOTATION],
      cert: Buffer.from(layer.annotations![CERTIFICATE_ANNOTATION]!, 'utf8').toString('base64'),
      rekorBundle: JSON.parse(layer.annotations![BUNDLE_ANNOTATION]!) as unknown,
    };
    const root = parseTrustedRoot(Buffer.from(opts.instance.trustedRootJson()), 'test instance');
    const result = verifyArtifact({ bundle: parseSignatureBundle(Buffer.from(JSON.stringify(legacy))), artifact: { kind: 'bytes', bytes: payload }, trustedRoot: root, policy: { kind: 'certificate', ...RELEASE_WORKFLOW } });
    assert.equal(result.ok, true, JSON.stringify(result));
    const other = verifyArtifact({
      bundle: parseSignatureBundle(Buffer.from(JSON.stringify(legacy))),
      artifact: { kind: 'bytes', bytes: Buffer.from(payload.toString('utf8').replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`)) },
      trustedRoot: root,
      policy: { kind: 'certificate', ...RELEASE_WORKFLOW },
    });
    assert.equal(other.ok, false);
  });

  it('has an attestation layer: a DSSE envelope about the image, logged (SET) and verifiable', () => {
    const layer = manifestOf(kind(KIND_ATTESTATIONS)[0]!).layers[0]!;
    assert.equal(layer.mediaType, DSSE_ENVELOPE_MEDIA_TYPE);
    assert.equal(layer.annotations!['predicateType'], SBOM_PREDICATE);
    assert.equal(layer.annotations![SIGNATURE_ANNOTATION], '');
    const envelope = JSON.parse(layout.blobs.get(layer.digest)!.toString('utf8')) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicateType: string; subject: { name: string; digest: { sha256: string } }[] };
    assert.equal(statement.predicateType, SBOM_PREDICATE);
    assert.deepEqual(statement.subject, [{ name: REFERENCE, digest: { sha256: built.image.digest.slice(7) } }]);
    const rekor = JSON.parse(layer.annotations![BUNDLE_ANNOTATION]!) as { SignedEntryTimestamp: string; Payload: { body: string; integratedTime: number; logIndex: number; logID: string } };
    const body = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8')) as { kind: string; spec: { envelopeHash: { value: string } } };
    assert.equal(body.kind, 'dsse');
    assert.equal(body.spec.envelopeHash.value, layer.digest.slice(7), 'the log entry hashes exactly the layer bytes');
    // The shape Assay's verifier will build from an attestation layer: a v0.1 bundle with the inclusion promise.
    const bundle = bundleFromJSON({
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: pemToBase64Der(layer.annotations![CERTIFICATE_ANNOTATION]!) }] },
        tlogEntries: [
          {
            logIndex: String(rekor.Payload.logIndex),
            logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
            kindVersion: { kind: 'dsse', version: '0.0.1' },
            integratedTime: String(rekor.Payload.integratedTime),
            inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
            canonicalizedBody: rekor.Payload.body,
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      dsseEnvelope: { payloadType: envelope.payloadType, payload: envelope.payload, signatures: envelope.signatures },
    });
    const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 });
    assert.doesNotThrow(() => verifier.verify(toSignedEntity(bundle), { subjectAlternativeName: RELEASE_WORKFLOW.identity, extensions: { issuer: RELEASE_WORKFLOW.issuer } }));
  });

  it('attaches a new-format Sigstore bundle as a referrer of the image manifest, which Assay verifies', () => {
    const entry = layout.index.find((e) => e.artifactType === SIGSTORE_BUNDLE_MEDIA_TYPE)!;
    const referrer = manifestOf(entry);
    assert.equal(referrer.artifactType, SIGSTORE_BUNDLE_MEDIA_TYPE);
    assert.deepEqual(referrer.subject, { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: built.image.size, digest: built.image.digest });
    assert.equal(referrer.annotations!['dev.sigstore.bundle.content'], 'dsse-envelope');
    assert.equal(referrer.annotations!['dev.sigstore.bundle.predicateType'], PROVENANCE_PREDICATE);
    assert.deepEqual(entry.annotations, referrer.annotations, 'the index entry carries the referrer annotations');
    assert.equal(referrer.layers.length, 1);
    const layer = referrer.layers[0]!;
    assert.equal(layer.mediaType, SIGSTORE_BUNDLE_MEDIA_TYPE);
    assert.equal(layer.annotations!['org.opencontainers.image.title'], `sha256-${layer.digest.slice(7)}.sigstore.json`);
    const root = parseTrustedRoot(Buffer.from(opts.instance.trustedRootJson()), 'test instance');
    const result = verifyArtifact({
      bundle: parseSignatureBundle(layout.blobs.get(layer.digest)!),
      artifact: { kind: 'digest', sha256: Buffer.from(built.image.digest.slice(7), 'hex') },
      trustedRoot: root,
      policy: { kind: 'certificate', ...RELEASE_WORKFLOW },
      envelope: 'attestation',
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    const otherImage = verifyArtifact({
      bundle: parseSignatureBundle(layout.blobs.get(layer.digest)!),
      artifact: { kind: 'digest', sha256: Buffer.alloc(32, 7) },
      trustedRoot: root,
      policy: { kind: 'certificate', ...RELEASE_WORKFLOW },
      envelope: 'attestation',
    });
    assert.equal(otherImage.ok, false);
  });

  it('is byte-identical when built again from the same seed and inputs', async () => {
    const again = await buildSignedImageLayout(options());
    assert.deepEqual(again.files.map((f) => [f.path, f.bytes.toString('base64')]), built.files.map((f) => [f.path, f.bytes.toString('base64')]));
  });
});

/** DER of a PEM certificate, base64, as bundle JSON holds it. */
function pemToBase64Der(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}
