// The OCI image layout reader (images/<name>/ as `cosign save` writes it) on its own: the sample's
// signed image layout reads into images, signature and attestation manifests and referrers; each other
// test breaks exactly one rule of the reader (tree, marker, index, descriptor, blob content addressing,
// manifest, cosign kind and tag, referrer subject, size limits) and expects the OciLayoutError naming
// the file and the reason. A multi-platform image (an image index) has each platform manifest checked
// like an image manifest; and the layouts of one bundle are read within a budget over all of them.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HashOutcome } from '../../../main/engine/hash/hash-pool.js';
import {
  BUNDLE_LAYOUT_LIMITS,
  COSIGN_KIND_IMAGE_INDEX,
  imageNames,
  OciBundleLimitError,
  OciLayoutError,
  readOciLayout,
  readOciLayouts,
  type LayoutSource,
  type OciImageLayout,
} from '../../../main/engine/formats/oci-layout.js';
import {
  buildSignedImageLayout,
  CERTIFICATE_ANNOTATION,
  DSSE_ENVELOPE_MEDIA_TYPE,
  KIND_ANNOTATION,
  KIND_ATTESTATIONS,
  KIND_IMAGE,
  KIND_SIGNATURES,
  PREDICATE_TYPE_ANNOTATION,
  SIGNATURE_ANNOTATION,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  type SignedImageLayout,
} from '../../../main/engine/sample/oci/cosign.js';
import { ANNOTATION_REF_NAME, MEDIA_TYPE_CONFIG, MEDIA_TYPE_INDEX, MEDIA_TYPE_MANIFEST } from '../../../main/engine/sample/oci/layout.js';
import { createTestInstance } from '../../../main/engine/sample/sigstore/instance.js';

const NAME = 'app';
const DIR = `images/${NAME}`;
const SBOM_PREDICATE = 'https://cyclonedx.org/bom';
const PROVENANCE_PREDICATE = 'https://slsa.dev/provenance/v1';
const MAX_METADATA_BLOB_BYTES = 16 * 1024 * 1024;
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MEDIA_TYPE_LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** The layout's files by path relative to images/app/, edited freely by each test (a fresh copy each time). */
type Files = Map<string, Buffer>;
/** JSON read back from the layout, edited freely by the tests below (JSON.parse's own result type). */
type Json = ReturnType<typeof JSON.parse>;

let work: string;
let sample: SignedImageLayout;
let runs = 0;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-oci-layout-'));
  sample = await buildSignedImageLayout({
    image: { files: [{ path: 'app/model.onnx', content: Buffer.from('model bytes\n') }], created: new Date('2026-09-30T08:00:00Z') },
    dockerReference: 'registry.acme.example/credit/credit-model',
    tag: 'v1.4.0',
    instance: createTestInstance('seed-oci-layout-reader', { now: new Date('2026-09-30T08:00:00Z'), withCtLog: false }),
    signer: { identity: 'https://github.com/acme/credit-model/.github/workflows/release.yml@refs/tags/v1.4.0', issuer: 'https://token.actions.githubusercontent.com' },
    attestations: [{ predicateType: SBOM_PREDICATE, predicate: { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] } }],
    referrers: [{ predicateType: PROVENANCE_PREDICATE, predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } } }],
  });
});
after(() => rmSync(work, { recursive: true, force: true }));

function fresh(): Files {
  return new Map(sample.files.map((f) => [f.path, Buffer.from(f.bytes)]));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const blobPath = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`;
const hexOf = (digest: string) => digest.slice('sha256:'.length);

interface ReadOptions {
  /** The hashes the bundle's hashing reported, by layout path; default the sha256 of each file written. */
  readonly hashes?: (path: string, bytes: Buffer) => HashOutcome | undefined;
}

/** Writes each layout's files under a new bundle root's images/<name>/; the source the engine reads. */
function writeBundle(layouts: readonly (readonly [string, Files])[], options: ReadOptions = {}): LayoutSource {
  runs += 1;
  const root = join(work, `bundle-${runs}`);
  const listed: { path: string; size: number }[] = [];
  const hashes = new Map<string, HashOutcome>();
  for (const [name, files] of layouts) {
    for (const [path, bytes] of files) {
      const bundlePath = `images/${name}/${path}`;
      const target = join(root, ...bundlePath.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
      listed.push({ path: bundlePath, size: bytes.length });
      const hash = options.hashes === undefined ? { ok: true as const, sha256: sha256(bytes), size: bytes.length } : options.hashes(path, bytes);
      if (hash !== undefined) hashes.set(bundlePath, hash);
    }
  }
  return { root, files: listed, hashes };
}

/** Writes the files under a new bundle root's images/app/ and reads them as the engine does. */
async function read(files: Files, options: ReadOptions = {}): Promise<OciImageLayout> {
  return readOciLayout(writeBundle([[NAME, files]], options), NAME);
}

/** The layout is refused with an OciLayoutError on `path` (relative to images/app/) whose message matches `reason`. */
async function refused(files: Files, path: string, reason: RegExp, options: ReadOptions = {}): Promise<void> {
  await assert.rejects(read(files, options), (error: unknown) => {
    assert.ok(error instanceof OciLayoutError, `not an OciLayoutError: ${String(error)}`);
    assert.equal(error.path, `${DIR}/${path}`, error.message);
    assert.match(error.message, reason);
    return true;
  });
}

function json(files: Files, path: string): Json {
  const bytes = files.get(path);
  assert.ok(bytes !== undefined, `${path} is not in the layout`);
  return JSON.parse(bytes.toString('utf8'));
}

function putJson(files: Files, path: string, value: unknown): void {
  files.set(path, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Stores a blob under its digest; returns its descriptor. */
function putBlob(files: Files, mediaType: string, bytes: Buffer): { mediaType: string; size: number; digest: string } {
  const digest = `sha256:${sha256(bytes)}`;
  files.set(blobPath(digest), bytes);
  return { mediaType, size: bytes.length, digest };
}

function editIndex(files: Files, edit: (index: Json) => void): void {
  const index = json(files, 'index.json');
  edit(index);
  putJson(files, 'index.json', index);
}

type Listed = 'image' | 'sigs' | 'atts' | 'referrer';

function isListed(entry: Json, which: Listed): boolean {
  const kind = entry.annotations?.[KIND_ANNOTATION];
  if (which === 'referrer') return entry.artifactType === SIGSTORE_BUNDLE_MEDIA_TYPE;
  return kind === { image: KIND_IMAGE, sigs: KIND_SIGNATURES, atts: KIND_ATTESTATIONS }[which];
}

/** The index.json entry of the image, the .sig or .att manifest, or the referrer. */
function listed(files: Files, which: Listed): Json {
  const entry = json(files, 'index.json').manifests.find((e: Json) => isListed(e, which));
  assert.ok(entry !== undefined, `index.json lists no ${which}`);
  return entry;
}

/** Rewrites a listed manifest (stored under its new digest, the old blob removed) and its index entry; returns the new digest. */
function editManifest(files: Files, which: Listed, edit: (manifest: Json) => void): string {
  const entry = listed(files, which);
  const manifest = json(files, blobPath(entry.digest));
  edit(manifest);
  files.delete(blobPath(entry.digest));
  const stored = putBlob(files, entry.mediaType, Buffer.from(JSON.stringify(manifest), 'utf8'));
  editIndex(files, (index) => {
    const target = index.manifests.find((e: Json) => isListed(e, which));
    target.digest = stored.digest;
    target.size = stored.size;
  });
  return stored.digest;
}

/** The blob path of layers[i] (or the config) of a listed manifest. */
function layerOf(files: Files, which: Listed, i: number | 'config' = 0): string {
  const manifest = json(files, blobPath(listed(files, which).digest));
  return blobPath(i === 'config' ? manifest.config.digest : manifest.layers[i].digest);
}

/** Other bytes of the same length (so only the hash differs). */
function flipped(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
}

/** A second image manifest (empty config, no layers), listed as a cosign image; returns its digest. */
function addSecondImage(files: Files): string {
  const config = putBlob(files, MEDIA_TYPE_CONFIG, Buffer.from('{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}', 'utf8'));
  const manifest = putBlob(files, MEDIA_TYPE_MANIFEST, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_MANIFEST, config, layers: [] }), 'utf8'));
  editIndex(files, (index) => index.manifests.push({ ...manifest, annotations: { [KIND_ANNOTATION]: KIND_IMAGE, [ANNOTATION_REF_NAME]: 'v1.4.0-arm64' } }));
  return manifest.digest;
}

/** An image manifest for linux/<architecture>: a config and one layer, both stored; returns its descriptor. */
function addPlatformManifest(files: Files, architecture: string): { mediaType: string; size: number; digest: string } {
  const layer = putBlob(files, MEDIA_TYPE_LAYER, Buffer.from(`the ${architecture} layer\n`, 'utf8'));
  const config = putBlob(files, MEDIA_TYPE_CONFIG, Buffer.from(JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] }, config: {} }), 'utf8'));
  return putBlob(files, MEDIA_TYPE_MANIFEST, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_MANIFEST, config, layers: [layer] }), 'utf8'));
}

/** Stores an image index (OCI index or Docker manifest list) listing `manifests`; returns its descriptor. */
function putIndex(files: Files, manifests: readonly Json[], mediaType: string = MEDIA_TYPE_INDEX): { mediaType: string; size: number; digest: string } {
  return putBlob(files, mediaType, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests }), 'utf8'));
}

interface MultiPlatform {
  readonly index: { mediaType: string; size: number; digest: string };
  /** The sample's image manifest, listed for linux/amd64. */
  readonly amd64: { mediaType: string; size: number; digest: string };
  readonly arm64: { mediaType: string; size: number; digest: string };
}

/**
 * Makes the layout a multi-platform image as `cosign save` writes one: index.json lists the image index
 * (kind imageIndex) in place of the image, and the .sig and .att are tagged for the index digest (the
 * referrer, whose subject is the amd64 manifest, is no longer listed).
 */
function multiPlatform(files: Files, mediaType: string = MEDIA_TYPE_INDEX): MultiPlatform {
  const amd64 = { mediaType: MEDIA_TYPE_MANIFEST, size: sample.image.size, digest: sample.image.digest };
  const arm64 = addPlatformManifest(files, 'arm64');
  const index = putIndex(files, [
    { ...amd64, platform: { architecture: 'amd64', os: 'linux' } },
    { ...arm64, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
  ], mediaType);
  editIndex(files, (list) => {
    list.manifests = list.manifests.filter((e: Json) => !isListed(e, 'image') && !isListed(e, 'referrer'));
    list.manifests.unshift({ ...index, annotations: { [KIND_ANNOTATION]: COSIGN_KIND_IMAGE_INDEX, [ANNOTATION_REF_NAME]: 'v1.4.0' } });
    for (const entry of list.manifests) {
      if (isListed(entry, 'sigs')) entry.annotations[ANNOTATION_REF_NAME] = `sha256-${hexOf(index.digest)}.sig`;
      if (isListed(entry, 'atts')) entry.annotations[ANNOTATION_REF_NAME] = `sha256-${hexOf(index.digest)}.att`;
    }
  });
  return { index, amd64, arm64 };
}

/** Rewrites the image index of a multi-platform layout (stored under its new digest, index.json and the tags updated); returns its new digest. */
function editImageIndex(files: Files, old: { digest: string }, edit: (index: Json) => void): string {
  const index = json(files, blobPath(old.digest));
  edit(index);
  files.delete(blobPath(old.digest));
  const stored = putBlob(files, index.mediaType ?? MEDIA_TYPE_INDEX, Buffer.from(JSON.stringify(index), 'utf8'));
  editIndex(files, (list) => {
    for (const entry of list.manifests) {
      if (entry.digest === old.digest) Object.assign(entry, { digest: stored.digest, size: stored.size });
      const tag = entry.annotations?.[ANNOTATION_REF_NAME];
      if (typeof tag === 'string') entry.annotations[ANNOTATION_REF_NAME] = tag.replace(hexOf(old.digest), hexOf(stored.digest));
    }
  });
  return stored.digest;
}

describe('a valid layout reads', () => {
  test('the sample signed image: image, .sig and .att manifests with their layers and annotations, and a referrer with its subject', async () => {
    const layout = await read(fresh());
    assert.equal(layout.name, NAME);
    assert.equal(layout.dir, DIR);

    assert.deepEqual(
      layout.images.map((i) => [i.descriptor.digest, i.descriptor.size, i.refName]),
      [[sample.image.digest, sample.image.size, 'v1.4.0']],
    );

    assert.equal(layout.signatures.length, 1);
    const [signatures] = layout.signatures;
    assert.equal(signatures!.forImage, sample.image.digest);
    assert.equal(signatures!.manifestDigest, sample.signatures.digest);
    assert.equal(signatures!.layers.length, 1);
    const signature = signatures!.layers[0]!;
    assert.equal(signature.descriptor.mediaType, SIMPLE_SIGNING_MEDIA_TYPE);
    assert.equal(signature.path, `${DIR}/${blobPath(signature.descriptor.digest)}`);
    assert.equal(JSON.parse(signature.bytes.toString('utf8')).critical.image['docker-manifest-digest'], sample.image.digest);
    assert.ok((signature.annotations[SIGNATURE_ANNOTATION] ?? '').length > 0);
    assert.match(signature.annotations[CERTIFICATE_ANNOTATION] ?? '', /^-----BEGIN CERTIFICATE-----/);

    assert.equal(layout.attestations.length, 1);
    const [attestations] = layout.attestations;
    assert.equal(attestations!.forImage, sample.image.digest);
    assert.equal(attestations!.manifestDigest, sample.attestations!.digest);
    const attestation = attestations!.layers[0]!;
    assert.equal(attestation.descriptor.mediaType, DSSE_ENVELOPE_MEDIA_TYPE);
    assert.equal(attestation.annotations[PREDICATE_TYPE_ANNOTATION], SBOM_PREDICATE);
    assert.equal(JSON.parse(attestation.bytes.toString('utf8')).payloadType, 'application/vnd.in-toto+json');

    assert.equal(layout.referrers.length, 1);
    const [referrer] = layout.referrers;
    assert.equal(referrer!.manifestDigest, sample.referrers[0]!.digest);
    assert.equal(referrer!.subject, sample.image.digest);
    assert.equal(referrer!.artifactType, SIGSTORE_BUNDLE_MEDIA_TYPE);
    assert.equal(referrer!.annotations['dev.sigstore.bundle.predicateType'], PROVENANCE_PREDICATE);
    assert.equal(referrer!.layers.length, 1);
    assert.equal(JSON.parse(referrer!.layers[0]!.bytes.toString('utf8')).mediaType, SIGSTORE_BUNDLE_MEDIA_TYPE);
  });

  test('imageNames lists the directories under images/ that hold files, sorted, and nothing else', () => {
    const files = [{ path: `images/zeta/oci-layout` }, { path: `images/alpha/blobs/sha256/00` }, { path: `images/alpha/index.json` }, { path: 'images/README.md' }, { path: 'model/images/x/y' }];
    assert.deepEqual(imageNames(files), ['alpha', 'zeta']);
  });

  test('unknown fields of index.json, its descriptors and the manifests are ignored (image-spec: implementations must ignore them)', async () => {
    const files = fresh();
    editManifest(files, 'sigs', (manifest) => {
      manifest['io.example.future'] = { any: 'thing' };
      manifest.layers[0]['io.example.future'] = true;
    });
    editIndex(files, (index) => {
      index['io.example.future'] = 1;
      index.manifests[0].platform = { architecture: 'amd64', os: 'linux' };
    });
    const layout = await read(files);
    assert.equal(layout.signatures[0]!.layers.length, 1);
  });

  test('a Docker v2 manifest (media type in descriptor and manifest alike) is read as an image manifest', async () => {
    const files = fresh();
    editManifest(files, 'sigs', (manifest) => {
      manifest.mediaType = DOCKER_MANIFEST;
    });
    editIndex(files, (index) => {
      index.manifests.find((e: Json) => isListed(e, 'sigs')).mediaType = DOCKER_MANIFEST;
    });
    assert.equal((await read(files)).signatures.length, 1);
  });

  test('a .sig or .att manifest with no tag belongs to the layout\'s only image (cosign save writes no tag)', async () => {
    const files = fresh();
    editIndex(files, (index) => {
      for (const entry of index.manifests) if (isListed(entry, 'sigs') || isListed(entry, 'atts')) delete entry.annotations[ANNOTATION_REF_NAME];
    });
    const layout = await read(files);
    assert.equal(layout.signatures[0]!.forImage, sample.image.digest);
    assert.equal(layout.attestations[0]!.forImage, sample.image.digest);
  });

  test('an image index listed in index.json beside the image is an image of the layout too, its manifests followed', async () => {
    const files = fresh();
    const nested = putBlob(files, MEDIA_TYPE_INDEX, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: [{ mediaType: MEDIA_TYPE_MANIFEST, size: sample.image.size, digest: sample.image.digest }] }), 'utf8'));
    editIndex(files, (index) => index.manifests.push({ ...nested, annotations: { [ANNOTATION_REF_NAME]: 'multi-arch' } }));
    const layout = await read(files);
    assert.deepEqual(
      layout.images.map((i) => [i.descriptor.digest, i.refName, i.platforms.map((p) => [p.descriptor.digest, p.platform])]),
      [
        [sample.image.digest, 'v1.4.0', []],
        [nested.digest, 'multi-arch', [[sample.image.digest, null]]],
      ],
    );

    files.delete(blobPath(nested.digest));
    await refused(files, blobPath(nested.digest), /manifests\[\d\]: blob sha256:[0-9a-f]{64} is missing from the layout/);
  });
});

describe('a multi-platform image (an image index, signed by its digest) has every platform manifest checked', () => {
  for (const [mediaType, why] of [
    [MEDIA_TYPE_INDEX, 'an OCI image index'],
    [DOCKER_LIST, 'a Docker manifest list'],
  ] as const) {
    test(`${why} as cosign save writes it: the index is the image, its platform manifests listed with their platforms`, async () => {
      const files = fresh();
      const { index, amd64, arm64 } = multiPlatform(files, mediaType);
      const layout = await read(files);
      assert.deepEqual(
        layout.images.map((i) => [i.descriptor.digest, i.descriptor.mediaType, i.refName]),
        [[index.digest, mediaType, 'v1.4.0']],
      );
      assert.deepEqual(
        layout.images[0]!.platforms.map((p) => [p.descriptor.digest, p.descriptor.size, p.platform]),
        [
          [amd64.digest, amd64.size, { architecture: 'amd64', os: 'linux' }],
          [arm64.digest, arm64.size, { architecture: 'arm64', os: 'linux', variant: 'v8' }],
        ],
      );
      // Signatures and attestations stay on the index digest, which is what cosign signs.
      assert.equal(layout.signatures[0]!.forImage, index.digest);
      assert.equal(layout.attestations[0]!.forImage, index.digest);
    });
  }

  test('a platform manifest missing from blobs/', async () => {
    const files = fresh();
    const { arm64 } = multiPlatform(files);
    files.delete(blobPath(arm64.digest));
    await refused(files, blobPath(arm64.digest), /image index sha256:[0-9a-f]{64} manifests\[1\]: blob sha256:[0-9a-f]{64} is missing from the layout/);
  });

  test('a platform manifest whose bytes do not hash to its digest', async () => {
    const files = fresh();
    const { arm64 } = multiPlatform(files);
    files.set(blobPath(arm64.digest), flipped(files.get(blobPath(arm64.digest))!));
    await refused(files, blobPath(arm64.digest), /manifests\[1\]: blob \S+ hashes to sha256:[0-9a-f]{64}, not the digest it is stored under/);
  });

  test('a platform manifest described with another size', async () => {
    const files = fresh();
    const { index, arm64 } = multiPlatform(files);
    editImageIndex(files, index, (edited) => (edited.manifests[1].size += 1));
    await refused(files, blobPath(arm64.digest), new RegExp(`manifests\\[1\\]: blob ${arm64.digest} is ${arm64.size} bytes, but described as ${arm64.size + 1}`));
  });

  for (const part of ['layer', 'config'] as const) {
    test(`a platform manifest's ${part} missing (not read, but it must be there)`, async () => {
      const files = fresh();
      const { arm64 } = multiPlatform(files);
      const manifest = json(files, blobPath(arm64.digest));
      const path = blobPath(part === 'layer' ? manifest.layers[0].digest : manifest.config.digest);
      files.delete(path);
      await refused(files, path, part === 'layer' ? /image index sha256:[0-9a-f]{64} manifests\[1\] layers\[0\]: blob sha256:[0-9a-f]{64} is missing/ : /config: blob sha256:[0-9a-f]{64} is missing/);
    });

    test(`a platform manifest's ${part} whose bytes do not hash to its digest`, async () => {
      const files = fresh();
      const { arm64 } = multiPlatform(files);
      const manifest = json(files, blobPath(arm64.digest));
      const path = blobPath(part === 'layer' ? manifest.layers[0].digest : manifest.config.digest);
      files.set(path, flipped(files.get(path)!));
      await refused(files, path, /hashes to sha256:[0-9a-f]{64}, not the digest it is stored under/);
    });
  }

  test('an image index nested in the image index is refused, not followed', async () => {
    const files = fresh();
    const { index, arm64 } = multiPlatform(files);
    const inner = putIndex(files, [arm64]);
    const digest = editImageIndex(files, index, (edited) => edited.manifests.push(inner));
    await refused(files, blobPath(digest), new RegExp(`image index ${digest} manifests\\[2\\] is itself an image index \\(${inner.digest}\\): nested indexes are not followed`));
  });

  test('an image index that lists no manifest (nothing that could run)', async () => {
    const files = fresh();
    const { index } = multiPlatform(files);
    const digest = editImageIndex(files, index, (edited) => (edited.manifests = []));
    await refused(files, blobPath(digest), /lists no manifest, so no image that could run/);
  });

  test('an image index listing a descriptor of an unknown media type', async () => {
    const files = fresh();
    const { index } = multiPlatform(files);
    const digest = editImageIndex(files, index, (edited) => (edited.manifests[1].mediaType = 'application/vnd.example.unknown+json'));
    await refused(files, blobPath(digest), /manifests\[1\] has media type application\/vnd\.example\.unknown\+json, not an image manifest/);
  });

  for (const [edit, reason, why] of [
    [(index: Json) => (index.manifests[0].platform = { architecture: 'amd64' }), /schema violation/, 'a platform without os'],
    [(index: Json) => (index.schemaVersion = 1), /schema violation/, 'schemaVersion 1'],
    [(index: Json) => (index.mediaType = DOCKER_LIST), /the image index says media type application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json, its descriptor application\/vnd\.oci\.image\.index\.v1\+json/, 'a media type other than its descriptor\'s'],
  ] as const) {
    test(`an image index with ${why}`, async () => {
      const files = fresh();
      const { index } = multiPlatform(files);
      const edited = JSON.parse(files.get(blobPath(index.digest))!.toString('utf8'));
      edit(edited);
      // Stored as its descriptor says (OCI index), whatever the edited blob claims.
      files.delete(blobPath(index.digest));
      const stored = putBlob(files, MEDIA_TYPE_INDEX, Buffer.from(JSON.stringify(edited), 'utf8'));
      editIndex(files, (list) => Object.assign(list.manifests[0], { digest: stored.digest, size: stored.size }));
      editIndex(files, (list) => {
        for (const entry of list.manifests) entry.annotations[ANNOTATION_REF_NAME] = entry.annotations[ANNOTATION_REF_NAME].replace(hexOf(index.digest), hexOf(stored.digest));
      });
      await refused(files, blobPath(stored.digest), reason);
    });
  }

  test('an image index with a duplicate key (manifests given twice)', async () => {
    const files = fresh();
    const { index } = multiPlatform(files);
    const text = files.get(blobPath(index.digest))!.toString('utf8').replace('"manifests":', '"manifests":[],"manifests":');
    const stored = putBlob(files, MEDIA_TYPE_INDEX, Buffer.from(text, 'utf8'));
    editIndex(files, (list) => Object.assign(list.manifests[0], { digest: stored.digest, size: stored.size }));
    await refused(files, blobPath(stored.digest), /duplicate key/);
  });

  test('an image index listed with the cosign kind of a signatures manifest', async () => {
    const files = fresh();
    multiPlatform(files);
    editIndex(files, (list) => (list.manifests[0].annotations[KIND_ANNOTATION] = KIND_SIGNATURES));
    await refused(files, 'index.json', /manifests\[0\] is an image index with cosign kind "dev\.cosignproject\.cosign\/sigs", not an image/);
  });

  test('signed and attested recursively (cosign sign/attest --recursive): .sig and .att tagged for platform manifests are read as theirs, beside the index\'s', async () => {
    const files = fresh();
    const { index, amd64, arm64 } = multiPlatform(files);
    editIndex(files, (list) => {
      const sigs = list.manifests.find((e: Json) => isListed(e, 'sigs'));
      const atts = list.manifests.find((e: Json) => isListed(e, 'atts'));
      list.manifests.push(
        { ...sigs, annotations: { ...sigs.annotations, [ANNOTATION_REF_NAME]: `sha256-${hexOf(amd64.digest)}.sig` } },
        { ...sigs, annotations: { ...sigs.annotations, [ANNOTATION_REF_NAME]: `sha256-${hexOf(arm64.digest)}.sig` } },
        { ...atts, annotations: { ...atts.annotations, [ANNOTATION_REF_NAME]: `sha256-${hexOf(arm64.digest)}.att` } },
      );
    });
    const layout = await read(files);
    assert.deepEqual(layout.signatures.map((s) => [s.forImage, s.platformOf]), [
      [index.digest, null],
      [amd64.digest, index.digest],
      [arm64.digest, index.digest],
    ]);
    assert.deepEqual(layout.attestations.map((a) => [a.forImage, a.platformOf]), [
      [index.digest, null],
      [arm64.digest, index.digest],
    ]);
  });

  test('a referrer whose subject is a platform manifest of the index is read as that platform\'s', async () => {
    const files = fresh();
    const referrer = listed(files, 'referrer'); // its subject is the sample image manifest, listed as linux/amd64 below
    const { index, amd64 } = multiPlatform(files);
    editIndex(files, (list) => list.manifests.push(referrer));
    const layout = await read(files);
    assert.deepEqual(layout.referrers.map((r) => [r.subject, r.platformOf]), [[amd64.digest, index.digest]]);
  });

  for (const which of ['sigs', 'atts'] as const) {
    test(`a ${which} manifest tagged for a manifest stored in blobs/ but listed by no image index (not a platform of a listed image)`, async () => {
      const files = fresh();
      multiPlatform(files);
      const stray = addPlatformManifest(files, 'riscv64');
      const suffix = which === 'sigs' ? 'sig' : 'att';
      editIndex(files, (list) => (list.manifests.find((e: Json) => isListed(e, which)).annotations[ANNOTATION_REF_NAME] = `sha256-${hexOf(stray.digest)}.${suffix}`));
      await refused(files, 'index.json', new RegExp(`is tagged for ${stray.digest}, which is neither an image of this layout nor a platform manifest of one`));
    });
  }

  test('a referrer whose subject is a manifest listed by no image index of the layout', async () => {
    const files = fresh();
    const referrer = listed(files, 'referrer');
    const { index } = multiPlatform(files);
    // Drop the sample manifest (amd64) from the index: the referrer's subject is then no platform of a listed image.
    editImageIndex(files, index, (edited) => (edited.manifests = edited.manifests.slice(1)));
    editIndex(files, (list) => list.manifests.push(referrer));
    await refused(files, blobPath(referrer.digest), /the referrer's subject sha256:[0-9a-f]{64} is neither an image of this layout nor a platform manifest of one/);
  });

  test('a single-platform image: signatures, attestations and referrers are for the image itself (platformOf null)', async () => {
    const layout = await read(fresh());
    assert.deepEqual([...layout.signatures, ...layout.attestations].map((m) => m.platformOf), [null, null]);
    assert.deepEqual(layout.referrers.map((r) => r.platformOf), [null]);
  });

  test('platform manifests count against the layout\'s reads: an index naming one manifest 1,100 times', async () => {
    const files = fresh();
    const { index, arm64 } = multiPlatform(files);
    editImageIndex(files, index, (edited) => (edited.manifests = Array.from({ length: 1100 }, () => edited.manifests[1])));
    await refused(files, blobPath(arm64.digest), /would make more than 1024 metadata reads in one layout/);
  });
});

describe('what the layouts of one bundle may make the reader read together', () => {
  /** The bytes reading the sample layout takes: oci-layout, index.json, each manifest it lists, and the .sig, .att and referrer layers. */
  function bytesOneLayoutReads(files: Files): number {
    let total = files.get('oci-layout')!.length + files.get('index.json')!.length;
    for (const which of ['image', 'sigs', 'atts', 'referrer'] as const) {
      const entry = listed(files, which);
      total += entry.size;
      if (which !== 'image') for (const layer of json(files, blobPath(entry.digest)).layers) total += layer.size;
    }
    return total;
  }

  test(`the defaults: ${BUNDLE_LAYOUT_LIMITS.maxLayouts} layouts and ${BUNDLE_LAYOUT_LIMITS.maxBytes / 1024 / 1024} MiB`, () => {
    assert.deepEqual(BUNDLE_LAYOUT_LIMITS, { maxLayouts: 64, maxBytes: 512 * 1024 * 1024 });
  });

  test('past 64 layouts, each further layout is reported as not read (never left out)', async () => {
    const names = Array.from({ length: 66 }, (_, i) => `image-${String(i).padStart(2, '0')}`);
    const source = writeBundle(names.map((name) => [name, fresh()] as const));
    const readings = await readOciLayouts(source);
    assert.deepEqual(readings.map((r) => r.name), names);
    assert.equal(readings.filter((r) => 'layout' in r).length, 64);
    for (const reading of readings.slice(64)) {
      assert.ok('error' in reading && reading.error instanceof OciBundleLimitError, reading.name);
      assert.equal(reading.error.path, `images/${reading.name}/`);
      assert.match(reading.error.message, /the bundle holds more than 64 image layouts/);
    }
  });

  test('once the bytes read over all layouts would pass the limit, that layout and every later one is reported as not read', async () => {
    const one = bytesOneLayoutReads(fresh());
    const source = writeBundle(['a', 'b', 'c', 'd'].map((name) => [name, fresh()] as const));
    // Room for two layouts and half of a third.
    const readings = await readOciLayouts(source, { maxLayouts: 64, maxBytes: 2 * one + Math.floor(one / 2) });
    assert.deepEqual(readings.map((r) => [r.name, 'layout' in r]), [['a', true], ['b', true], ['c', false], ['d', false]]);
    const [, , c, d] = readings;
    assert.ok(c !== undefined && 'error' in c && c.error instanceof OciBundleLimitError);
    assert.match(c.error.path, /^images\/c\/blobs\/sha256\/[0-9a-f]{64}$/);
    assert.match(c.error.message, new RegExp(`would make more than ${2 * one + Math.floor(one / 2)} bytes of metadata read over all the image layouts of the bundle`));
    assert.ok(d !== undefined && 'error' in d && d.error instanceof OciBundleLimitError);
    assert.equal(d.error.path, 'images/d/');
    assert.match(d.error.message, /the image layouts before it used the \d+ bytes of metadata/);
  });

  test('exactly the bytes of the layouts read is within the limit', async () => {
    const one = bytesOneLayoutReads(fresh());
    const source = writeBundle(['a', 'b'].map((name) => [name, fresh()] as const));
    const readings = await readOciLayouts(source, { maxLayouts: 64, maxBytes: 2 * one });
    assert.deepEqual(readings.map((r) => 'layout' in r), [true, true]);
  });

  test('a layout that is invalid for its own reasons is still reported as such under the bundle limits', async () => {
    const broken = fresh();
    broken.delete('oci-layout');
    const readings = await readOciLayouts(writeBundle([['a', broken], ['b', fresh()]]));
    assert.ok('error' in readings[0]! && !(readings[0].error instanceof OciBundleLimitError));
    assert.ok('layout' in readings[1]!);
  });
});

describe('the layout tree', () => {
  for (const [stray, why] of [
    ['README.md', 'a file other than oci-layout, index.json and blobs'],
    [`blobs/sha256/${'A'.repeat(64)}`, 'a blob name in upper-case hex'],
    [`blobs/sha256/${'a'.repeat(63)}`, 'a blob name one digit short'],
    [`blobs/sha256/${'a'.repeat(64)}.json`, 'a blob name with an extension'],
    [`blobs/sha512/${'a'.repeat(128)}`, 'a blob under another algorithm'],
    [`blobs/sha256/${'a'.repeat(64)}/x`, 'a directory named as a blob'],
  ] as const) {
    test(`refuses ${why} (${stray})`, async () => {
      const files = fresh();
      files.set(stray, Buffer.from('{}'));
      await refused(files, stray, /does not belong in an OCI image layout/);
    });
  }
});

describe('the oci-layout marker', () => {
  test('missing', async () => {
    const files = fresh();
    files.delete('oci-layout');
    await refused(files, 'oci-layout', /is missing: not an OCI image layout/);
  });

  for (const [text, reason, why] of [
    ['{"imageLayoutVersion":"1.1.0"}', /schema violation/, 'another imageLayoutVersion'],
    ['{"imageLayoutVersion":1}', /schema violation/, 'a version that is not a string'],
    ['{}', /schema violation/, 'no imageLayoutVersion'],
    ['{"imageLayoutVersion":"1.0.0"', /syntax error/, 'not JSON'],
    ['{"imageLayoutVersion":"9.9.9","imageLayoutVersion":"1.0.0"}', /duplicate key/, 'imageLayoutVersion twice'],
  ] as const) {
    test(`refuses ${why}`, async () => {
      const files = fresh();
      files.set('oci-layout', Buffer.from(text, 'utf8'));
      await refused(files, 'oci-layout', reason);
    });
  }
});

describe('index.json', () => {
  test('missing', async () => {
    const files = fresh();
    files.delete('index.json');
    await refused(files, 'index.json', /is missing: not an OCI image layout/);
  });

  test('not JSON', async () => {
    const files = fresh();
    files.set('index.json', Buffer.from('{"schemaVersion":2,', 'utf8'));
    await refused(files, 'index.json', /syntax error/);
  });

  test('not UTF-8', async () => {
    const files = fresh();
    files.set('index.json', Buffer.concat([Buffer.from('{"schemaVersion":2,"manifests":[],"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    await refused(files, 'index.json', /syntax error/);
  });

  test('a duplicate key (the cosign kind annotation given twice, so readers could disagree on it)', async () => {
    const files = fresh();
    const text = JSON.stringify(json(files, 'index.json'));
    const twice = text.replace(`"kind":"${KIND_SIGNATURES}"`, `"kind":"${KIND_SIGNATURES}","kind":"${KIND_IMAGE}"`);
    assert.notEqual(twice, text);
    files.set('index.json', Buffer.from(twice, 'utf8'));
    await refused(files, 'index.json', /duplicate key/);
  });

  for (const [edit, why] of [
    [(index: Json) => (index.schemaVersion = 1), 'schemaVersion 1'],
    [(index: Json) => (index.schemaVersion = '2'), 'schemaVersion as a string'],
    [(index: Json) => delete index.schemaVersion, 'no schemaVersion'],
    [(index: Json) => (index.mediaType = MEDIA_TYPE_MANIFEST), 'the media type of a manifest'],
    [(index: Json) => (index.mediaType = 'application/vnd.docker.distribution.manifest.list.v2+json'), 'the media type of a Docker manifest list'],
    [(index: Json) => delete index.manifests, 'no manifests'],
    [(index: Json) => (index.manifests = {}), 'manifests not an array'],
    [(index: Json) => (index.manifests[0].digest = `sha512:${'a'.repeat(128)}`), 'a sha512 digest'],
    [(index: Json) => (index.manifests[0].digest = index.manifests[0].digest.toUpperCase().replace('SHA256', 'sha256')), 'a digest in upper-case hex'],
    [(index: Json) => (index.manifests[0].digest = `sha256:../../${'a'.repeat(58)}`), 'a digest that is a path'],
    [(index: Json) => (index.manifests[0].size = -1), 'a negative size'],
    [(index: Json) => (index.manifests[0].size = 1.5), 'a fractional size'],
    [(index: Json) => (index.manifests[0].size = '100'), 'a size as a string'],
    [(index: Json) => (index.manifests[0].size = 2 ** 53), 'a size beyond 2^53 - 1'],
    [(index: Json) => (index.manifests[0].mediaType = 'not a media type'), 'a descriptor media type that is not one'],
    [(index: Json) => (index.manifests[0].annotations[KIND_ANNOTATION] = 1), 'an annotation that is not a string'],
  ] as const) {
    test(`refuses ${why}`, async () => {
      const files = fresh();
      editIndex(files, edit);
      await refused(files, 'index.json', /schema violation/);
    });
  }

  test('lists no image manifest', async () => {
    const files = fresh();
    editIndex(files, (index) => (index.manifests = []));
    await refused(files, 'index.json', /lists no image manifest/);
  });

  test('lists only a .sig manifest (its image gone)', async () => {
    const files = fresh();
    editIndex(files, (index) => (index.manifests = index.manifests.filter((e: Json) => isListed(e, 'sigs'))));
    await refused(files, 'index.json', /lists no image manifest/);
  });

  test('lists a descriptor of an unknown media type (a layer, an unknown artifact manifest)', async () => {
    for (const mediaType of ['application/vnd.oci.image.layer.v1.tar', 'application/vnd.example.unknown+json']) {
      const files = fresh();
      editIndex(files, (index) => (index.manifests[0].mediaType = mediaType));
      await refused(files, 'index.json', new RegExp(`manifests\\[0\\] has media type ${mediaType.replace(/[.+]/g, '\\$&')}, not an image manifest`));
    }
  });
});

describe('blobs are content-addressed', () => {
  test('a missing manifest blob', async () => {
    const files = fresh();
    const path = blobPath(sample.signatures.digest);
    files.delete(path);
    await refused(files, path, /blob sha256:[0-9a-f]{64} is missing from the layout/);
  });

  test('a missing config blob (not read, but it must be there)', async () => {
    const files = fresh();
    const path = layerOf(files, 'sigs', 'config');
    files.delete(path);
    await refused(files, path, /config: blob sha256:[0-9a-f]{64} is missing/);
  });

  test('a missing image layer (not read, but it must be there)', async () => {
    const files = fresh();
    const path = layerOf(files, 'image');
    files.delete(path);
    await refused(files, path, /layers\[0\]: blob sha256:[0-9a-f]{64} is missing/);
  });

  test('a missing signature, attestation or referrer layer', async () => {
    for (const which of ['sigs', 'atts', 'referrer'] as const) {
      const files = fresh();
      const path = layerOf(files, which);
      files.delete(path);
      await refused(files, path, /layers\[0\]: blob sha256:[0-9a-f]{64} is missing/);
    }
  });

  for (const which of ['image', 'sigs', 'atts', 'referrer'] as const) {
    test(`a ${which} manifest whose bytes do not hash to its name`, async () => {
      const files = fresh();
      const path = blobPath(listed(files, which).digest);
      files.set(path, flipped(files.get(path)!));
      await refused(files, path, /hashes to sha256:[0-9a-f]{64}, not the digest it is stored under/);
    });
  }

  for (const [which, layer] of [
    ['image', 0],
    ['image', 'config'],
    ['sigs', 0],
    ['sigs', 'config'],
    ['atts', 0],
    ['referrer', 0],
  ] as const) {
    test(`a ${which} ${layer === 'config' ? 'config' : 'layer'} whose bytes do not hash to its name`, async () => {
      const files = fresh();
      const path = layerOf(files, which, layer);
      files.set(path, flipped(files.get(path)!));
      await refused(files, path, /hashes to sha256:[0-9a-f]{64}, not the digest it is stored under/);
    });
  }

  test('a descriptor size that differs from the blob (index.json entry)', async () => {
    const files = fresh();
    editIndex(files, (index) => (index.manifests.find((e: Json) => isListed(e, 'sigs')).size += 1));
    await refused(files, blobPath(sample.signatures.digest), new RegExp(`is ${sample.signatures.size} bytes, but described as ${sample.signatures.size + 1}`));
  });

  test('a descriptor size that differs from the blob (a layer of a manifest)', async () => {
    const files = fresh();
    const path = layerOf(files, 'atts');
    editManifest(files, 'atts', (manifest) => (manifest.layers[0].size -= 1));
    await refused(files, path, /layers\[0\]: blob sha256:[0-9a-f]{64} is \d+ bytes, but described as \d+/);
  });

  test('a huge declared size (not read: the blob has another size)', async () => {
    const files = fresh();
    const path = layerOf(files, 'sigs');
    editManifest(files, 'sigs', (manifest) => (manifest.layers[0].size = Number.MAX_SAFE_INTEGER));
    await refused(files, path, new RegExp(`but described as ${Number.MAX_SAFE_INTEGER}`));
  });

  test('a blob the bundle hashing could not read', async () => {
    const files = fresh();
    const path = layerOf(files, 'sigs');
    await refused(files, path, /could not be read \(EACCES\)/, { hashes: (p, bytes) => (p === path ? { ok: false, error: 'EACCES' } : { ok: true, sha256: sha256(bytes), size: bytes.length }) });
  });

  test('a blob the bundle hashing has no hash for', async () => {
    const files = fresh();
    const path = layerOf(files, 'image');
    await refused(files, path, /could not be read$/, { hashes: (p, bytes) => (p === path ? undefined : { ok: true, sha256: sha256(bytes), size: bytes.length }) });
  });

  test('a blob whose bytes changed after the bundle was hashed (the bytes read are hashed again)', async () => {
    const files = fresh();
    const path = layerOf(files, 'sigs');
    const hashed = files.get(path)!;
    files.set(path, flipped(hashed));
    await refused(files, path, /changed while being read/, { hashes: (p, bytes) => ({ ok: true, sha256: sha256(p === path ? hashed : bytes), size: bytes.length }) });
  });
});

describe('manifests', () => {
  test('not JSON', async () => {
    const files = fresh();
    const bytes = Buffer.from('{"schemaVersion":2', 'utf8');
    const stored = putBlob(files, MEDIA_TYPE_MANIFEST, bytes);
    editIndex(files, (index) => Object.assign(index.manifests.find((e: Json) => isListed(e, 'sigs')), { digest: stored.digest, size: stored.size }));
    await refused(files, blobPath(stored.digest), /syntax error/);
  });

  test('a duplicate key (layers given twice, so readers could disagree on the signatures)', async () => {
    const files = fresh();
    const manifest = json(files, blobPath(sample.signatures.digest));
    const text = JSON.stringify(manifest).replace('"layers":', '"layers":[],"layers":');
    const stored = putBlob(files, MEDIA_TYPE_MANIFEST, Buffer.from(text, 'utf8'));
    editIndex(files, (index) => Object.assign(index.manifests.find((e: Json) => isListed(e, 'sigs')), { digest: stored.digest, size: stored.size }));
    await refused(files, blobPath(stored.digest), /duplicate key/);
  });

  for (const [edit, why] of [
    [(m: Json) => (m.schemaVersion = 1), 'schemaVersion 1'],
    [(m: Json) => (m.mediaType = MEDIA_TYPE_INDEX), 'the media type of an index'],
    [(m: Json) => delete m.config, 'no config'],
    [(m: Json) => delete m.layers, 'no layers'],
    [(m: Json) => (m.layers[0].digest = 'sha256:abc'), 'a layer digest that is not sha256:<64 hex>'],
    [(m: Json) => (m.subject = { mediaType: MEDIA_TYPE_MANIFEST, digest: sample.image.digest }), 'a subject without a size'],
    [(m: Json) => (m.layers[0].annotations = { [SIGNATURE_ANNOTATION]: null }), 'a layer annotation that is not a string'],
  ] as const) {
    test(`refuses ${why}`, async () => {
      const files = fresh();
      const digest = editManifest(files, 'sigs', edit);
      await refused(files, blobPath(digest), /schema violation/);
    });
  }

  test('a manifest whose media type differs from its descriptor in index.json', async () => {
    const files = fresh();
    const digest = editManifest(files, 'sigs', (manifest) => (manifest.mediaType = DOCKER_MANIFEST));
    await refused(files, blobPath(digest), new RegExp(`the manifest says media type ${DOCKER_MANIFEST.replace(/[.+]/g, '\\$&')}, its descriptor ${MEDIA_TYPE_MANIFEST.replace(/[.+]/g, '\\$&')}`));
  });

  test('a manifest larger than the metadata limit is refused before it is read', async () => {
    const files = fresh();
    const big = putBlob(files, MEDIA_TYPE_MANIFEST, Buffer.alloc(MAX_METADATA_BLOB_BYTES + 1, 0x20));
    editIndex(files, (index) => Object.assign(index.manifests.find((e: Json) => isListed(e, 'sigs')), { digest: big.digest, size: big.size }));
    await refused(files, blobPath(big.digest), /too large for a manifest or signature/);
  });

  test('a signature layer larger than the metadata limit is refused before it is read', async () => {
    const files = fresh();
    const big = putBlob(files, SIMPLE_SIGNING_MEDIA_TYPE, Buffer.alloc(MAX_METADATA_BLOB_BYTES + 1, 0x20));
    editManifest(files, 'sigs', (manifest) => (manifest.layers[0] = { ...manifest.layers[0], digest: big.digest, size: big.size }));
    await refused(files, blobPath(big.digest), /too large for a manifest or signature/);
  });

  test('an image layer larger than the metadata limit is fine: image layers are never read', async () => {
    const files = fresh();
    const big = putBlob(files, 'application/vnd.oci.image.layer.v1.tar', Buffer.alloc(MAX_METADATA_BLOB_BYTES + 1, 0x20));
    // A second image, so the sample image's digest (named by the .sig tag and the referrer) stays.
    const config = putBlob(files, MEDIA_TYPE_CONFIG, Buffer.from('{}', 'utf8'));
    const manifest = putBlob(files, MEDIA_TYPE_MANIFEST, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_MANIFEST, config, layers: [big] }), 'utf8'));
    editIndex(files, (index) => index.manifests.push({ ...manifest, annotations: { [KIND_ANNOTATION]: KIND_IMAGE } }));
    assert.equal((await read(files)).images.length, 2);
  });

  test('an index.json larger than the metadata limit is refused before it is read', async () => {
    const files = fresh();
    const index = files.get('index.json')!;
    files.set('index.json', Buffer.concat([index, Buffer.alloc(MAX_METADATA_BLOB_BYTES + 1 - index.length, 0x20)]));
    await refused(files, 'index.json', /too large to be layout metadata/);
  });
});

describe('what one layout may make the reader read (a blob counts each time a descriptor names it)', () => {
  test('a .sig manifest of 1,100 layers all naming one small blob: more than 1,024 reads', async () => {
    const files = fresh();
    const path = layerOf(files, 'sigs');
    editManifest(files, 'sigs', (manifest) => (manifest.layers = Array.from({ length: 1100 }, () => manifest.layers[0])));
    await refused(files, path, /would make more than 1024 metadata reads in one layout/);
  });

  test('a .sig manifest of 9 layers all naming one 16 MiB blob: more than 128 MiB read', async () => {
    const files = fresh();
    const big = putBlob(files, SIMPLE_SIGNING_MEDIA_TYPE, Buffer.alloc(MAX_METADATA_BLOB_BYTES, 0x20));
    editManifest(files, 'sigs', (manifest) => (manifest.layers = Array.from({ length: 9 }, () => ({ ...manifest.layers[0], digest: big.digest, size: big.size }))));
    await refused(files, blobPath(big.digest), new RegExp(`would make more than ${128 * 1024 * 1024} bytes of metadata read in one layout`));
  });
});

describe('cosign kinds and tags', () => {
  test('an unknown cosign kind', async () => {
    const files = fresh();
    editIndex(files, (index) => (index.manifests.find((e: Json) => isListed(e, 'sigs')).annotations[KIND_ANNOTATION] = 'dev.cosignproject.cosign/sboms'));
    await refused(files, 'index.json', /has an unknown cosign kind "dev\.cosignproject\.cosign\/sboms"/);
  });

  for (const [which, tag, why] of [
    ['sigs', () => 'latest', 'a plain tag'],
    ['sigs', () => `sha256-${hexOf(sample.image.digest)}.att`, 'the .att suffix'],
    ['atts', () => 'sha256-abc.att', 'a short digest'],
    ['sigs', () => `sha512-${'a'.repeat(64)}.sig`, 'another algorithm'],
  ] as const) {
    test(`a ${which} manifest tagged with ${why}`, async () => {
      const files = fresh();
      const value = tag();
      editIndex(files, (index) => (index.manifests.find((e: Json) => isListed(e, which)).annotations[ANNOTATION_REF_NAME] = value));
      await refused(files, 'index.json', new RegExp(`is tagged "${value.replace(/[.]/g, '\\.')}", not sha256-<hex>\\.${which === 'sigs' ? 'sig' : 'att'}`));
    });
  }

  for (const which of ['sigs', 'atts'] as const) {
    test(`a ${which} manifest tagged for an image the layout does not hold`, async () => {
      const files = fresh();
      const tag = `sha256-${'0'.repeat(64)}.${which === 'sigs' ? 'sig' : 'att'}`;
      editIndex(files, (index) => (index.manifests.find((e: Json) => isListed(e, which)).annotations[ANNOTATION_REF_NAME] = tag));
      await refused(files, 'index.json', new RegExp(`the ${which} manifest sha256:[0-9a-f]{64} is tagged for sha256:0{64}, which is neither an image of this layout nor a platform manifest of one`));
    });
  }

  test('a .sig manifest with no tag in a layout of two images', async () => {
    const files = fresh();
    addSecondImage(files);
    editIndex(files, (index) => delete index.manifests.find((e: Json) => isListed(e, 'sigs')).annotations[ANNOTATION_REF_NAME]);
    await refused(files, 'index.json', /the sigs manifest sha256:[0-9a-f]{64} has no tag naming its image, and the layout holds 2 images/);
  });

  test('with two images, the tag says which image a .sig manifest is for', async () => {
    const files = fresh();
    const second = addSecondImage(files);
    editIndex(files, (index) => (index.manifests.find((e: Json) => isListed(e, 'sigs')).annotations[ANNOTATION_REF_NAME] = `sha256-${hexOf(second)}.sig`));
    const layout = await read(files);
    assert.equal(layout.signatures[0]!.forImage, second);
    assert.equal(layout.attestations[0]!.forImage, sample.image.digest);
  });
});

describe('referrers', () => {
  test('a referrer whose subject is not an image of the layout', async () => {
    const files = fresh();
    const digest = editManifest(files, 'referrer', (manifest) => (manifest.subject.digest = `sha256:${'0'.repeat(64)}`));
    await refused(files, blobPath(digest), /the referrer's subject sha256:0{64} is neither an image of this layout nor a platform manifest of one/);
  });

  test('a referrer whose subject is the .sig manifest (in the layout, but not an image)', async () => {
    const files = fresh();
    const digest = editManifest(files, 'referrer', (manifest) => Object.assign(manifest.subject, { digest: sample.signatures.digest, size: sample.signatures.size }));
    await refused(files, blobPath(digest), /is neither an image of this layout nor a platform manifest of one/);
  });

  test('a referrer of a referrer (subjects are not followed: only an image is a subject)', async () => {
    const files = fresh();
    const first = listed(files, 'referrer');
    const second = json(files, blobPath(first.digest));
    second.subject = { mediaType: first.mediaType, size: first.size, digest: first.digest };
    const stored = putBlob(files, MEDIA_TYPE_MANIFEST, Buffer.from(JSON.stringify(second), 'utf8'));
    editIndex(files, (index) => index.manifests.push({ ...stored, artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE }));
    await refused(files, blobPath(stored.digest), new RegExp(`the referrer's subject ${first.digest} is neither an image of this layout nor a platform manifest of one`));
  });

  test('the referrer\'s artifact type is the manifest\'s, else its index entry\'s', async () => {
    const files = fresh();
    editManifest(files, 'referrer', (manifest) => delete manifest.artifactType);
    editIndex(files, (index) => (index.manifests.find((e: Json) => isListed(e, 'referrer')).artifactType = 'application/vnd.example.other+json'));
    assert.equal((await read(files)).referrers[0]!.artifactType, 'application/vnd.example.other+json');
  });
});
