// Reads one OCI image layout of a bundle (`images/<name>/`, image-spec v1.1 image-layout.md) as
// `cosign save` writes it: index.json lists the image, its signatures manifest and its attestations
// manifest, told apart by cosign's "kind" annotation (dev.cosignproject.cosign/image, /sigs, /atts), and
// any Sigstore bundles attached as OCI 1.1 referrers (a manifest whose `subject` is the image). An image
// may be an image index (a multi-platform image, which cosign signs by the index digest): its platform
// manifests are read and checked like an image manifest, one level deep, and are subjects in their own
// right: `cosign sign --recursive` / `cosign attest --recursive` sign and attest each platform manifest
// besides the index, so signatures, attestations and referrers may be for a platform manifest digest of a
// listed index (and for nothing else the layout does not list). Every blob must be
// content-addressed (file name = sha256 of its bytes, size as described); the image layers themselves
// are never read here, only their digests and sizes, which the bundle's hashing already has. Parsed
// strictly (duplicate keys refused) but, as image-spec requires, unknown fields are ignored. What one
// layout, and all the layouts of a bundle together, may make the reader read is capped.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { HashOutcome } from '../hash/hash-pool.js';
import { readJsonDocument, describeProblem } from '../schemas/validate.js';

export const IMAGES_DIR = 'images';
export const OCI_LAYOUT_FILE = 'oci-layout';
export const OCI_INDEX_FILE = 'index.json';

export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MEDIA_TYPE_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export const COSIGN_KIND_ANNOTATION = 'kind';
export const COSIGN_KIND_IMAGE = 'dev.cosignproject.cosign/image';
/** What `cosign save` puts on the index.json entry of a multi-platform image (cosign's WriteSignedImageIndex). */
export const COSIGN_KIND_IMAGE_INDEX = 'dev.cosignproject.cosign/imageIndex';
export const COSIGN_KIND_SIGNATURES = 'dev.cosignproject.cosign/sigs';
export const COSIGN_KIND_ATTESTATIONS = 'dev.cosignproject.cosign/atts';
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const SIGSTORE_BUNDLE_ARTIFACT_TYPES = ['application/vnd.dev.sigstore.bundle.v0.3+json', 'application/vnd.dev.sigstore.bundle+json;version=0.3'] as const;

export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const COSIGN_CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const COSIGN_CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const COSIGN_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const COSIGN_RFC3161_ANNOTATION = 'dev.sigstore.cosign/rfc3161timestamp';
export const PREDICATE_TYPE_ANNOTATION = 'predicateType';

/** Manifests and signature layers are small; anything larger is refused rather than read. */
const MAX_METADATA_BLOB_BYTES = 16 * 1024 * 1024;
/**
 * What one layout may make the reader read, counting a blob again each time a descriptor names it: a
 * 16 MiB manifest could otherwise list ~100,000 layers naming one 16 MiB blob and ask for terabytes.
 */
const MAX_METADATA_READS = 1024;
const MAX_METADATA_TOTAL_BYTES = 128 * 1024 * 1024;

/**
 * What all the layouts of one bundle may make the reader read together, so that N layouts cannot hold
 * N x 128 MiB: at most 64 layouts (a release ships a handful of images: model server, sidecars, jobs),
 * and 512 MiB of metadata in all (four layouts at the per-layout cap; a real cosign layout reads a few
 * KiB to a few MiB, the largest part being SBOM attestations). The signature and attestation layers read
 * are kept for the checks, so this also bounds what the readings hold in memory.
 */
export const BUNDLE_LAYOUT_LIMITS: LayoutLimits = { maxLayouts: 64, maxBytes: 512 * 1024 * 1024 };

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a sha256 digest as sha256:<64 lowercase hex>');
const mediaType = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/, 'a media type');
const annotations = z.record(z.string(), z.string());

const descriptorSchema = z.object({
  mediaType,
  digest,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  annotations: annotations.optional(),
  artifactType: mediaType.optional(),
});

const layoutMarkerSchema = z.object({ imageLayoutVersion: z.literal('1.0.0') });

const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.literal(MEDIA_TYPE_OCI_INDEX).optional(),
  manifests: z.array(descriptorSchema),
});

const platformSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
});

/** An image index blob (OCI index or Docker manifest list): a multi-platform image, one manifest per platform. */
const imageIndexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.enum([MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_LIST]).optional(),
  manifests: z.array(descriptorSchema.extend({ platform: platformSchema.optional() })),
});

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.enum([MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST]).optional(),
  artifactType: mediaType.optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: annotations.optional(),
});

export type OciDescriptor = z.infer<typeof descriptorSchema>;
export type OciManifest = z.infer<typeof manifestSchema>;
export type OciPlatform = z.infer<typeof platformSchema>;

/** A manifest an image index lists, checked like an image manifest (config and layers present, sizes and hashes right). */
export interface OciPlatformManifest {
  readonly descriptor: OciDescriptor;
  /** The index's `platform` for it; null when it gives none (e.g. a buildx attestation manifest may say unknown/unknown). */
  readonly platform: OciPlatform | null;
}

/** An image of the layout: what cosign signs and attests, by this descriptor's digest. */
export interface OciImage {
  readonly descriptor: OciDescriptor;
  readonly refName: string | null;
  /** For an image index, the manifests it lists (each checked); empty for an image manifest. */
  readonly platforms: readonly OciPlatformManifest[];
}

/** A layer of a signatures or attestations manifest, read: the bytes and the annotations cosign put on it. */
export interface CosignLayer {
  /** Bundle path of the blob. */
  readonly path: string;
  readonly descriptor: OciDescriptor;
  readonly bytes: Buffer;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface CosignManifest {
  /** The digest these signatures or attestations are for: an image of the layout, or a platform manifest of one. */
  readonly forImage: string;
  /** When forImage is a platform manifest of a listed image index (and not itself a listed image): that index's digest; else null. */
  readonly platformOf: string | null;
  readonly manifestDigest: string;
  readonly layers: readonly CosignLayer[];
}

export interface Referrer {
  readonly manifestDigest: string;
  /** An image of the layout, or a platform manifest of one. */
  readonly subject: string;
  /** When subject is a platform manifest of a listed image index (and not itself a listed image): that index's digest; else null. */
  readonly platformOf: string | null;
  readonly artifactType: string | null;
  readonly annotations: Readonly<Record<string, string>>;
  readonly layers: readonly CosignLayer[];
}

export interface OciImageLayout {
  readonly name: string;
  /** `images/<name>` */
  readonly dir: string;
  /** Image manifests (or indexes) listed in index.json, by digest. */
  readonly images: readonly OciImage[];
  readonly signatures: readonly CosignManifest[];
  readonly attestations: readonly CosignManifest[];
  readonly referrers: readonly Referrer[];
}

export class OciLayoutError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'OciLayoutError';
  }
}

/** The layout was not read (or not to the end) because the bundle's layouts reached BUNDLE_LAYOUT_LIMITS: unchecked, not proven bad. */
export class OciBundleLimitError extends OciLayoutError {
  constructor(path: string, message: string) {
    super(path, message);
    this.name = 'OciBundleLimitError';
  }
}

export interface LayoutSource {
  readonly root: string;
  /** Every regular file of the bundle, by bundle path. */
  readonly files: readonly { readonly path: string; readonly size: number }[];
  readonly hashes: ReadonlyMap<string, HashOutcome>;
}

export interface LayoutLimits {
  readonly maxLayouts: number;
  /** Bytes of metadata read over all the layouts, counted as the per-layout limit counts them. */
  readonly maxBytes: number;
}

export type ImageReading = { readonly name: string; readonly layout: OciImageLayout } | { readonly name: string; readonly error: OciLayoutError };

/** What the layouts of one bundle have read so far; once a read is refused, no further layout is read. */
export class BundleBudget {
  #bytes = 0;
  #exhausted = false;

  constructor(readonly limits: LayoutLimits) {}

  get exhausted(): boolean {
    return this.#exhausted;
  }

  /** Counts a read of `size` bytes; false (and exhausted from now on) when it would pass the limit. */
  charge(size: number): boolean {
    if (this.#exhausted || this.#bytes + size > this.limits.maxBytes) {
      this.#exhausted = true;
      return false;
    }
    this.#bytes += size;
    return true;
  }
}

/**
 * Reads every layout under images/, in name order, within `limits` over all of them: past the layout
 * count or once the bytes are spent, each remaining layout is reported as not read (OciBundleLimitError).
 */
export async function readOciLayouts(source: LayoutSource, limits: LayoutLimits = BUNDLE_LAYOUT_LIMITS): Promise<ImageReading[]> {
  const budget = new BundleBudget(limits);
  const out: ImageReading[] = [];
  for (const [i, name] of imageNames(source.files).entries()) {
    const dir = `${IMAGES_DIR}/${name}/`;
    if (i >= limits.maxLayouts) {
      out.push({ name, error: new OciBundleLimitError(dir, `the bundle holds more than ${limits.maxLayouts} image layouts, the most one verification reads`) });
    } else if (budget.exhausted) {
      out.push({ name, error: new OciBundleLimitError(dir, `the image layouts before it used the ${limits.maxBytes} bytes of metadata one verification reads over all layouts`) });
    } else {
      try {
        out.push({ name, layout: await readOciLayout(source, name, budget) });
      } catch (error) {
        if (!(error instanceof OciLayoutError)) throw error;
        out.push({ name, error });
      }
    }
  }
  return out;
}

/** The image directory names under images/, sorted. */
export function imageNames(files: readonly { readonly path: string }[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/');
    if (parts[0] === IMAGES_DIR && parts.length >= 3) names.add(parts[1]!);
  }
  return [...names].sort();
}

/**
 * Reads and checks `images/<name>/`; throws OciLayoutError naming the file and the problem. `budget`,
 * shared by the layouts of one bundle (readOciLayouts), is charged for every read besides the layout's own limits.
 */
export async function readOciLayout(source: LayoutSource, name: string, budget: BundleBudget = new BundleBudget(BUNDLE_LAYOUT_LIMITS)): Promise<OciImageLayout> {
  const dir = `${IMAGES_DIR}/${name}`;
  const reader = new LayoutReader(source, dir, budget);
  reader.checkTree();
  await reader.json(OCI_LAYOUT_FILE, layoutMarkerSchema);
  const index = await reader.json(OCI_INDEX_FILE, indexSchema);

  const images: OciImage[] = [];
  const cosign: { kind: 'sigs' | 'atts'; descriptor: OciDescriptor; manifest: OciManifest }[] = [];
  const referrers: Omit<Referrer, 'platformOf'>[] = [];
  for (const [i, entry] of index.manifests.entries()) {
    const where = `${OCI_INDEX_FILE} manifests[${i}]`;
    const kind = entry.annotations?.[COSIGN_KIND_ANNOTATION];
    if (isImageIndex(entry.mediaType)) {
      if (kind !== undefined && kind !== COSIGN_KIND_IMAGE_INDEX && kind !== COSIGN_KIND_IMAGE) throw new OciLayoutError(reader.path(OCI_INDEX_FILE), `${where} is an image index with cosign kind "${kind}", not an image`);
      images.push({ descriptor: entry, refName: entry.annotations?.[REF_NAME_ANNOTATION] ?? null, platforms: await reader.imageIndex(entry, where) });
      continue;
    }
    const manifest = await reader.manifest(entry, where);
    if (kind === COSIGN_KIND_SIGNATURES || kind === COSIGN_KIND_ATTESTATIONS) {
      cosign.push({ kind: kind === COSIGN_KIND_SIGNATURES ? 'sigs' : 'atts', descriptor: entry, manifest });
    } else if (manifest.subject !== undefined) {
      referrers.push({
        manifestDigest: entry.digest,
        subject: manifest.subject.digest,
        artifactType: manifest.artifactType ?? entry.artifactType ?? null,
        annotations: manifest.annotations ?? {},
        layers: await reader.layers(manifest, entry.digest),
      });
    } else {
      if (kind !== undefined && kind !== COSIGN_KIND_IMAGE) throw new OciLayoutError(reader.path(OCI_INDEX_FILE), `${where} has an unknown cosign kind "${kind}"`);
      for (const [j, layer] of manifest.layers.entries()) reader.checkBlob(layer, `${where} layers[${j}]`);
      images.push({ descriptor: entry, refName: entry.annotations?.[REF_NAME_ANNOTATION] ?? null, platforms: [] });
    }
  }
  if (images.length === 0) throw new OciLayoutError(reader.path(OCI_INDEX_FILE), 'index.json lists no image manifest');
  const subjects = signableSubjects(images);
  const checkedReferrers: Referrer[] = [];
  for (const referrer of referrers) {
    const platformOf = subjects.get(referrer.subject);
    if (platformOf === undefined) throw new OciLayoutError(reader.path(`blobs/sha256/${hexOf(referrer.manifestDigest)}`), `the referrer's subject ${referrer.subject} is neither an image of this layout nor a platform manifest of one`);
    checkedReferrers.push({ ...referrer, platformOf });
  }

  const signatures: CosignManifest[] = [];
  const attestations: CosignManifest[] = [];
  for (const entry of cosign) {
    const forImage = imageFor(entry.descriptor, entry.kind, images, subjects, reader);
    const manifest: CosignManifest = { forImage, platformOf: subjects.get(forImage) ?? null, manifestDigest: entry.descriptor.digest, layers: await reader.layers(entry.manifest, entry.descriptor.digest) };
    (entry.kind === 'sigs' ? signatures : attestations).push(manifest);
  }
  return { name, dir, images, signatures, attestations, referrers: checkedReferrers };
}

/**
 * What may be signed or attested in a layout, by digest: each listed image (null), and each platform
 * manifest of a listed image index (the index's digest), as `cosign sign --recursive` signs them. A digest
 * listed both ways is the listed image.
 */
export function signableSubjects(images: readonly OciImage[]): ReadonlyMap<string, string | null> {
  const out = new Map<string, string | null>();
  for (const image of images) {
    for (const platform of image.platforms) if (!out.has(platform.descriptor.digest)) out.set(platform.descriptor.digest, image.descriptor.digest);
  }
  for (const image of images) out.set(image.descriptor.digest, null);
  return out;
}

/**
 * Which image a .sig/.att manifest belongs to: its tag `sha256-<hex>.sig` / `.att` when the layout
 * records one (an image of the layout or a platform manifest of one), else the layout's only image
 * (cosign save writes one image per layout and no tag).
 */
function imageFor(descriptor: OciDescriptor, kind: 'sigs' | 'atts', images: readonly OciImage[], subjects: ReadonlyMap<string, string | null>, reader: LayoutReader): string {
  const tag = descriptor.annotations?.[REF_NAME_ANNOTATION];
  const suffix = kind === 'sigs' ? 'sig' : 'att';
  if (tag !== undefined) {
    const match = new RegExp(`^sha256-([0-9a-f]{64})\\.${suffix}$`).exec(tag);
    if (match === null) throw new OciLayoutError(reader.path(OCI_INDEX_FILE), `the ${kind} manifest ${descriptor.digest} is tagged "${tag}", not sha256-<hex>.${suffix}`);
    const forImage = `sha256:${match[1]!}`;
    // As for a referrer's subject: evidence attached to an image the layout does not hold is refused, not reported as this image's.
    if (!subjects.has(forImage)) throw new OciLayoutError(reader.path(OCI_INDEX_FILE), `the ${kind} manifest ${descriptor.digest} is tagged for ${forImage}, which is neither an image of this layout nor a platform manifest of one`);
    return forImage;
  }
  if (images.length !== 1) throw new OciLayoutError(reader.path(OCI_INDEX_FILE), `the ${kind} manifest ${descriptor.digest} has no tag naming its image, and the layout holds ${images.length} images`);
  return images[0]!.descriptor.digest;
}

function isImageIndex(mediaType: string): boolean {
  return mediaType === MEDIA_TYPE_OCI_INDEX || mediaType === MEDIA_TYPE_DOCKER_LIST;
}

function hexOf(digestText: string): string {
  return digestText.slice('sha256:'.length);
}

class LayoutReader {
  readonly #files: ReadonlyMap<string, { readonly path: string; readonly size: number }>;
  #reads = 0;
  #bytesRead = 0;

  constructor(
    private readonly source: LayoutSource,
    private readonly dir: string,
    private readonly budget: BundleBudget,
  ) {
    this.#files = new Map(source.files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => [f.path, f]));
  }

  path(relative: string): string {
    return `${this.dir}/${relative}`;
  }

  /** Only oci-layout, index.json and blobs/sha256/<hex> belong in a layout. */
  checkTree(): void {
    for (const path of this.#files.keys()) {
      const relative = path.slice(this.dir.length + 1);
      if (relative === OCI_LAYOUT_FILE || relative === OCI_INDEX_FILE || /^blobs\/sha256\/[0-9a-f]{64}$/.test(relative)) continue;
      throw new OciLayoutError(path, `${path} does not belong in an OCI image layout (only oci-layout, index.json and blobs/sha256/<hex>)`);
    }
  }

  async json<S extends z.ZodType>(relative: string, schema: S): Promise<z.output<S>> {
    const path = this.path(relative);
    const file = this.#files.get(path);
    if (file === undefined) throw new OciLayoutError(path, `${path} is missing: not an OCI image layout`);
    return this.#parse(path, await this.#read(path, file.size), schema);
  }

  /** The blob exists, has the described size, and its bytes hash to its name and digest. */
  checkBlob(descriptor: OciDescriptor, where: string): string {
    const path = this.path(`blobs/sha256/${hexOf(descriptor.digest)}`);
    const file = this.#files.get(path);
    if (file === undefined) throw new OciLayoutError(path, `${where}: blob ${descriptor.digest} is missing from the layout`);
    if (file.size !== descriptor.size) throw new OciLayoutError(path, `${where}: blob ${descriptor.digest} is ${file.size} bytes, but described as ${descriptor.size}`);
    const hash = this.source.hashes.get(path);
    if (hash === undefined || !hash.ok) throw new OciLayoutError(path, `${where}: blob ${descriptor.digest} could not be read${hash !== undefined && !hash.ok ? ` (${hash.error})` : ''}`);
    if (`sha256:${hash.sha256}` !== descriptor.digest) throw new OciLayoutError(path, `${where}: blob ${path} hashes to sha256:${hash.sha256}, not the digest it is stored under`);
    return path;
  }

  async blob(descriptor: OciDescriptor, where: string): Promise<{ path: string; bytes: Buffer }> {
    const path = this.checkBlob(descriptor, where);
    if (descriptor.size > MAX_METADATA_BLOB_BYTES) throw new OciLayoutError(path, `${where}: blob ${descriptor.digest} is ${descriptor.size} bytes, too large for a manifest or signature`);
    const bytes = await this.#read(path, descriptor.size);
    // The bundle was hashed before; the bytes read now must be those bytes.
    if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== descriptor.digest) throw new OciLayoutError(path, `${where}: blob ${descriptor.digest} changed while being read`);
    return { path, bytes };
  }

  /** `listedIn`: the bundle path of the index that lists the descriptor, named when its media type is wrong. */
  async manifest(descriptor: OciDescriptor, where: string, listedIn: string = this.path(OCI_INDEX_FILE)): Promise<OciManifest> {
    if (descriptor.mediaType !== MEDIA_TYPE_OCI_MANIFEST && descriptor.mediaType !== MEDIA_TYPE_DOCKER_MANIFEST) {
      throw new OciLayoutError(listedIn, `${where} has media type ${descriptor.mediaType}, not an image manifest`);
    }
    const { path, bytes } = await this.blob(descriptor, where);
    const manifest = this.#parse(path, bytes, manifestSchema);
    if (manifest.mediaType !== undefined && manifest.mediaType !== descriptor.mediaType) {
      throw new OciLayoutError(path, `${where}: the manifest says media type ${manifest.mediaType}, its descriptor ${descriptor.mediaType}`);
    }
    this.checkBlob(manifest.config, `manifest ${descriptor.digest} config`);
    return manifest;
  }

  /**
   * An image index listed in index.json (a multi-platform image): read strictly, and every manifest it
   * lists read and checked as an image manifest is, config and layers present with their size and hash
   * (layers not read). One level only: cosign and docker buildx write an index of image manifests, and a
   * nested index is refused rather than followed.
   */
  async imageIndex(descriptor: OciDescriptor, where: string): Promise<OciPlatformManifest[]> {
    const { path, bytes } = await this.blob(descriptor, where);
    const index = this.#parse(path, bytes, imageIndexSchema);
    if (index.mediaType !== undefined && index.mediaType !== descriptor.mediaType) {
      throw new OciLayoutError(path, `${where}: the image index says media type ${index.mediaType}, its descriptor ${descriptor.mediaType}`);
    }
    if (index.manifests.length === 0) throw new OciLayoutError(path, `${where}: the image index ${descriptor.digest} lists no manifest, so no image that could run`);
    const platforms: OciPlatformManifest[] = [];
    for (const [i, child] of index.manifests.entries()) {
      const childWhere = `image index ${descriptor.digest} manifests[${i}]`;
      if (isImageIndex(child.mediaType)) throw new OciLayoutError(path, `${childWhere} is itself an image index (${child.digest}): nested indexes are not followed`);
      const { platform, ...childDescriptor } = child;
      const manifest = await this.manifest(childDescriptor, childWhere, path);
      for (const [j, layer] of manifest.layers.entries()) this.checkBlob(layer, `${childWhere} layers[${j}]`);
      platforms.push({ descriptor: childDescriptor, platform: platform ?? null });
    }
    return platforms;
  }

  async layers(manifest: OciManifest, manifestDigest: string): Promise<CosignLayer[]> {
    const out: CosignLayer[] = [];
    for (const [i, layer] of manifest.layers.entries()) {
      const { path, bytes } = await this.blob(layer, `manifest ${manifestDigest} layers[${i}]`);
      out.push({ path, descriptor: layer, bytes, annotations: layer.annotations ?? {} });
    }
    return out;
  }

  async #read(path: string, size: number): Promise<Buffer> {
    if (size > MAX_METADATA_BLOB_BYTES) throw new OciLayoutError(path, `${path} is ${size} bytes, too large to be layout metadata`);
    this.#reads += 1;
    this.#bytesRead += size;
    if (this.#reads > MAX_METADATA_READS) throw new OciLayoutError(path, `reading ${path} would make more than ${MAX_METADATA_READS} metadata reads in one layout`);
    if (this.#bytesRead > MAX_METADATA_TOTAL_BYTES) throw new OciLayoutError(path, `reading ${path} would make more than ${MAX_METADATA_TOTAL_BYTES} bytes of metadata read in one layout`);
    if (!this.budget.charge(size)) throw new OciBundleLimitError(path, `reading ${path} would make more than ${this.budget.limits.maxBytes} bytes of metadata read over all the image layouts of the bundle`);
    try {
      return await readFile(join(this.source.root, ...path.split('/')));
    } catch (error) {
      throw new OciLayoutError(path, `${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  #parse<S extends z.ZodType>(path: string, bytes: Buffer, schema: S): z.output<S> {
    const reading = readJsonDocument(bytes, schema);
    if (!reading.ok) throw new OciLayoutError(path, `${path}: ${describeProblem(reading)}`);
    return reading.value;
  }
}
