// An OCI image layout (image-spec v1.1 image-layout.md) built in memory: content-addressed blobs under
// blobs/sha256/, the `oci-layout` marker, and index.json listing the manifests. JSON is written the way
// go-containerregistry (which `cosign save` uses) writes it: struct fields in declaration order, map
// keys (annotations) sorted, no whitespace, so digests match what cosign would produce for the same content.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const OCI_LAYOUT_VERSION = '1.0.0';
export const MEDIA_TYPE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_TYPE_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';
export const MEDIA_TYPE_EMPTY = 'application/vnd.oci.empty.v1+json';
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_TITLE = 'org.opencontainers.image.title';

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  readonly mediaType: string;
  readonly size: number;
  /** `sha256:<hex>` */
  readonly digest: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: typeof MEDIA_TYPE_MANIFEST;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface LayoutFile {
  /** Path relative to the layout's root, POSIX separators. */
  readonly path: string;
  readonly bytes: Buffer;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A descriptor in go-containerregistry's field order: mediaType, size, digest, annotations, artifactType. */
export function descriptor(mediaType: string, bytes: Uint8Array, extra: { annotations?: Record<string, string>; artifactType?: string } = {}): Descriptor {
  return ordered({ mediaType, size: bytes.length, digest: sha256Digest(bytes), annotations: sortedAnnotations(extra.annotations), artifactType: extra.artifactType });
}

/** Manifest JSON in go-containerregistry's field order (schemaVersion, mediaType, artifactType?, config, layers, annotations?, subject?). */
export function manifestBytes(manifest: ImageManifest): Buffer {
  return Buffer.from(
    JSON.stringify(
      ordered({
        schemaVersion: manifest.schemaVersion,
        mediaType: manifest.mediaType,
        artifactType: manifest.artifactType,
        config: manifest.config,
        layers: manifest.layers,
        annotations: sortedAnnotations(manifest.annotations),
        subject: manifest.subject,
      }),
    ),
    'utf8',
  );
}

/** The layout being built: blobs by digest, and the manifests index.json lists, in order. */
export class OciLayout {
  readonly #blobs = new Map<string, Buffer>();
  readonly #index: Descriptor[] = [];

  /** Stores a blob (idempotent: content addressed) and returns its descriptor. */
  addBlob(mediaType: string, bytes: Buffer, extra: { annotations?: Record<string, string>; artifactType?: string } = {}): Descriptor {
    const described = descriptor(mediaType, bytes, extra);
    this.#blobs.set(described.digest, bytes);
    return described;
  }

  /** Stores a manifest blob and returns its plain descriptor (for a subject, or to list it later). */
  addManifest(manifest: ImageManifest): Descriptor {
    return this.addBlob(manifest.mediaType, manifestBytes(manifest));
  }

  /** Lists a stored manifest in index.json, with the index entry's own annotations and artifact type. */
  list(manifest: Descriptor, extra: { annotations?: Record<string, string>; artifactType?: string } = {}): Descriptor {
    if (!this.#blobs.has(manifest.digest)) throw new Error(`${manifest.digest} is not a blob of this layout`);
    const entry = ordered({ ...manifest, annotations: sortedAnnotations(extra.annotations ?? manifest.annotations), artifactType: extra.artifactType ?? manifest.artifactType });
    this.#index.push(entry);
    return entry;
  }

  blob(digest: string): Buffer | undefined {
    return this.#blobs.get(digest);
  }

  /** Every file of the layout: oci-layout, index.json, then the blobs sorted by digest. */
  files(): LayoutFile[] {
    const index = ordered({ schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: this.#index });
    return [
      { path: 'oci-layout', bytes: Buffer.from(JSON.stringify({ imageLayoutVersion: OCI_LAYOUT_VERSION }), 'utf8') },
      { path: 'index.json', bytes: Buffer.from(JSON.stringify(index), 'utf8') },
      ...[...this.#blobs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([digest, bytes]) => ({ path: `blobs/sha256/${digest.slice('sha256:'.length)}`, bytes })),
    ];
  }

  /** Writes the layout under `dir` (which may exist; files must not). */
  async writeTo(dir: string): Promise<void> {
    for (const file of this.files()) {
      const path = join(dir, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.bytes, { flag: 'wx' });
    }
  }
}

function sortedAnnotations(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (annotations === undefined || Object.keys(annotations).length === 0) return undefined;
  return Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Drops undefined members, keeping the order given (Go's omitempty). */
function ordered<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
