// A small container image and its cosign evidence, laid out as `cosign save` writes an OCI image layout
// (cosign pkg/oci/layout): index.json lists the image manifest, the signatures manifest and the
// attestations manifest, told apart by the annotation "kind" (dev.cosignproject.cosign/image, /sigs,
// /atts). A signature is a layer of media type application/vnd.dev.cosign.simplesigning.v1+json whose
// bytes are the simple-signing payload naming the image manifest digest, annotated with the base64
// signature, the PEM certificate and chain, and the legacy Rekor bundle (SET and entry payload). An
// attestation is a layer holding the DSSE envelope (application/vnd.dsse.envelope.v1+json) with its
// predicateType. New-format Sigstore bundles are OCI 1.1 referrers (cosign specs/BUNDLE_SPEC.md): an
// artifact manifest with artifactType application/vnd.dev.sigstore.bundle.v0.3+json, the empty config,
// the bundle as its one layer, and the image manifest as its subject.
// In a registry the signatures and attestations manifests are tagged sha256-<hex>.sig and .att; the
// layout records those tags as org.opencontainers.image.ref.name beside cosign's "kind" (which is what
// `cosign load` reads).

import { createHash } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import tar from 'tar-stream';
import type { SignerIdentity, SigstoreSignature, TestSigstoreInstance } from '../sigstore/instance.js';
import { rfc3339 } from '../sigstore/trusted-root.js';
import { toPem } from '../sigstore/x509.js';
import {
  ANNOTATION_CREATED,
  ANNOTATION_REF_NAME,
  ANNOTATION_TITLE,
  MEDIA_TYPE_CONFIG,
  MEDIA_TYPE_EMPTY,
  MEDIA_TYPE_LAYER_TAR,
  MEDIA_TYPE_MANIFEST,
  OciLayout,
  type Descriptor,
  type LayoutFile,
} from './layout.js';

export const KIND_ANNOTATION = 'kind';
export const KIND_IMAGE = 'dev.cosignproject.cosign/image';
export const KIND_SIGNATURES = 'dev.cosignproject.cosign/sigs';
export const KIND_ATTESTATIONS = 'dev.cosignproject.cosign/atts';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const PREDICATE_TYPE_ANNOTATION = 'predicateType';
export const BUNDLE_CONTENT_ANNOTATION = 'dev.sigstore.bundle.content';
export const BUNDLE_PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

/** The OCI empty descriptor's content (image-spec manifest.md, "Guidance for an empty descriptor"). */
export const EMPTY_JSON = Buffer.from('{}', 'utf8');

export interface ImageFile {
  /** Path inside the image, relative (e.g. "app/model.onnx"). */
  readonly path: string;
  readonly content: Buffer;
  /** Default 0o644. */
  readonly mode?: number;
}

export interface ImageSpec {
  readonly files: readonly ImageFile[];
  /** Build time: the config's `created`, and every file's mtime. */
  readonly created: Date;
  readonly architecture?: string;
  readonly os?: string;
  readonly entrypoint?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** One uncompressed tar layer (no gzip: zlib's output may change between versions; a tar's bytes do not). */
export async function imageLayer(files: readonly ImageFile[], created: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  const header = { mtime: new Date(Math.floor(created.getTime() / 1000) * 1000), uid: 0, gid: 0, uname: 'root', gname: 'root' };
  const directories = new Set<string>();
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      const directory = `${parts.slice(0, i).join('/')}/`;
      if (directories.has(directory)) continue;
      directories.add(directory);
      pack.entry({ ...header, name: directory, type: 'directory', mode: 0o755 });
    }
    pack.entry({ ...header, name: file.path, type: 'file', mode: file.mode ?? 0o644, size: file.content.length }, file.content);
  }
  pack.finalize();
  return done;
}

/** The image config (image-spec config.md) for one layer. */
export function imageConfig(spec: ImageSpec, layerDiffId: string): Buffer {
  const created = rfc3339(spec.created);
  const config: Record<string, unknown> = {};
  if (spec.entrypoint !== undefined) config['Entrypoint'] = spec.entrypoint;
  if (spec.labels !== undefined) config['Labels'] = Object.fromEntries(Object.entries(spec.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  return Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      created,
      history: [{ created, created_by: 'assay sample: COPY app/ /app/' }],
      os: spec.os ?? 'linux',
      rootfs: { type: 'layers', diff_ids: [layerDiffId] },
      config,
    }),
    'utf8',
  );
}

/** Adds config, layer and manifest of the image; returns the manifest's descriptor (not yet listed). */
export async function addImage(layout: OciLayout, spec: ImageSpec): Promise<Descriptor> {
  const layerBytes = await imageLayer(spec.files, spec.created);
  const layer = layout.addBlob(MEDIA_TYPE_LAYER_TAR, layerBytes);
  const config = layout.addBlob(MEDIA_TYPE_CONFIG, imageConfig(spec, layer.digest)); // uncompressed: diff id = digest
  return layout.addManifest({ schemaVersion: 2, mediaType: MEDIA_TYPE_MANIFEST, config, layers: [layer] });
}

/** cosign's simple-signing payload (containers/image "atomic" signature format) for the image manifest digest. */
export function simpleSigningPayload(dockerReference: string, manifestDigest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': manifestDigest }, type: 'cosign container image signature' },
      optional: null,
    }),
    'utf8',
  );
}

/** An in-toto Statement v1 about the image: subject = repository name and manifest digest. */
export function imageStatement(dockerReference: string, manifestDigest: string, predicateType: string, predicate: unknown): Buffer {
  const sha256 = manifestDigest.slice('sha256:'.length);
  return Buffer.from(JSON.stringify({ _type: IN_TOTO_STATEMENT_V1, subject: [{ name: dockerReference, digest: { sha256 } }], predicateType, predicate }), 'utf8');
}

/** The legacy Rekor bundle cosign stores in dev.sigstore.cosign/bundle (Go field names and order). */
export function rekorBundleAnnotation(signature: SigstoreSignature): string {
  const entry = signature.tlogEntry;
  return JSON.stringify({
    SignedEntryTimestamp: entry.signedEntryTimestamp.toString('base64'),
    Payload: { body: entry.canonicalizedBody.toString('base64'), integratedTime: entry.integratedTime, logIndex: entry.logIndex, logID: entry.logId.toString('hex') },
  });
}

function certificateAnnotations(signature: SigstoreSignature): Record<string, string> {
  return {
    [CERTIFICATE_ANNOTATION]: toPem(signature.certificate),
    [CHAIN_ANNOTATION]: signature.chain.map((der) => toPem(der)).join(''),
    [BUNDLE_ANNOTATION]: rekorBundleAnnotation(signature),
  };
}

export interface CosignLayer {
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly annotations: Record<string, string>;
}

/** A .sig layer: the payload that was signed, with the signature, certificate, chain and Rekor bundle. */
export function signatureLayer(payload: Buffer, signature: SigstoreSignature): CosignLayer {
  return { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, bytes: payload, annotations: { [SIGNATURE_ANNOTATION]: signature.signature.toString('base64'), ...certificateAnnotations(signature) } };
}

/** An .att layer: the DSSE envelope itself (the signature is inside it, so the signature annotation is empty, as cosign writes it). */
export function attestationLayer(signature: SigstoreSignature, predicateType: string): CosignLayer {
  if (signature.envelopeJson === null) throw new Error('an attestation layer needs a DSSE signature');
  return {
    mediaType: DSSE_ENVELOPE_MEDIA_TYPE,
    bytes: Buffer.from(signature.envelopeJson, 'utf8'),
    annotations: { [SIGNATURE_ANNOTATION]: '', [PREDICATE_TYPE_ANNOTATION]: predicateType, ...certificateAnnotations(signature) },
  };
}

/**
 * The signatures (or attestations) image cosign builds on go-containerregistry's empty image: an OCI
 * manifest whose config lists each layer's digest as its diff id, with zero times, as cosign's are.
 */
export function addCosignManifest(layout: OciLayout, layers: readonly CosignLayer[]): Descriptor {
  const descriptors = layers.map((layer) => layout.addBlob(layer.mediaType, layer.bytes, { annotations: layer.annotations }));
  const zero = '0001-01-01T00:00:00Z';
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: zero,
      history: layers.map(() => ({ created: zero })),
      os: '',
      rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.digest) },
      config: {},
    }),
    'utf8',
  );
  return layout.addManifest({ schemaVersion: 2, mediaType: MEDIA_TYPE_MANIFEST, config: layout.addBlob(MEDIA_TYPE_CONFIG, config), layers: descriptors });
}

export interface ReferrerAnnotations {
  readonly content: 'message-signature' | 'dsse-envelope';
  readonly predicateType?: string;
  readonly created: Date;
}

/** A Sigstore bundle attached as an OCI 1.1 referrer of `subject`; returns the referrer manifest's descriptor. */
export function addBundleReferrer(layout: OciLayout, bundle: SerializedBundle, subject: Descriptor, info: ReferrerAnnotations): Descriptor {
  const bundleBytes = Buffer.from(JSON.stringify(bundle), 'utf8');
  const title = `sha256-${createHash('sha256').update(bundleBytes).digest('hex')}.sigstore.json`;
  const annotations: Record<string, string> = { [BUNDLE_CONTENT_ANNOTATION]: info.content, [ANNOTATION_CREATED]: rfc3339(info.created) };
  if (info.predicateType !== undefined) annotations[BUNDLE_PREDICATE_TYPE_ANNOTATION] = info.predicateType;
  return layout.addManifest({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    config: layout.addBlob(MEDIA_TYPE_EMPTY, EMPTY_JSON),
    layers: [layout.addBlob(SIGSTORE_BUNDLE_MEDIA_TYPE, bundleBytes, { annotations: { [ANNOTATION_TITLE]: title } })],
    annotations,
    subject: { mediaType: subject.mediaType, size: subject.size, digest: subject.digest },
  });
}

/** `sha256:<hex>` -> the registry tag cosign gives its signatures (`sha256-<hex>.sig`) or attestations (`.att`). */
export function cosignTag(manifestDigest: string, suffix: 'sig' | 'att'): string {
  return `${manifestDigest.replace(':', '-')}.${suffix}`;
}

export interface AttestationSpec {
  readonly predicateType: string;
  readonly predicate: unknown;
}

export interface SignedImageOptions {
  readonly image: ImageSpec;
  /** The image's repository as signed into the payloads, e.g. "registry.acme.example/credit/credit-model". */
  readonly dockerReference: string;
  /** The tag the image manifest carries in the layout (org.opencontainers.image.ref.name), e.g. "v1.4.0". */
  readonly tag: string;
  readonly instance: TestSigstoreInstance;
  readonly signer: SignerIdentity;
  /** When the signatures are made; default the instance's now. */
  readonly signedAt?: Date;
  /** cosign attest (old format): DSSE layers in the .att manifest. */
  readonly attestations?: readonly AttestationSpec[];
  /** cosign attest --new-bundle-format: Sigstore bundles attached as referrers. */
  readonly referrers?: readonly AttestationSpec[];
}

export interface SignedImageLayout {
  readonly layout: OciLayout;
  readonly files: readonly LayoutFile[];
  readonly image: Descriptor;
  readonly signatures: Descriptor;
  readonly attestations: Descriptor | null;
  readonly referrers: readonly Descriptor[];
}

/** The image, signed and attested with the test instance, as `cosign save` lays it out (plus referrers). */
export async function buildSignedImageLayout(options: SignedImageOptions): Promise<SignedImageLayout> {
  const { instance, signer, dockerReference } = options;
  const signOptions = options.signedAt === undefined ? {} : { at: options.signedAt };
  const layout = new OciLayout();
  const image = await addImage(layout, options.image);
  layout.list(image, { annotations: { [KIND_ANNOTATION]: KIND_IMAGE, [ANNOTATION_REF_NAME]: options.tag } });

  const payload = simpleSigningPayload(dockerReference, image.digest);
  const signed = instance.signMessageDetailed(payload, signer, signOptions);
  const signatures = addCosignManifest(layout, [signatureLayer(payload, signed)]);
  layout.list(signatures, { annotations: { [KIND_ANNOTATION]: KIND_SIGNATURES, [ANNOTATION_REF_NAME]: cosignTag(image.digest, 'sig') } });

  let attestations: Descriptor | null = null;
  if (options.attestations !== undefined && options.attestations.length > 0) {
    const layers = options.attestations.map((a) =>
      attestationLayer(instance.signDsseDetailed(IN_TOTO_PAYLOAD_TYPE, imageStatement(dockerReference, image.digest, a.predicateType, a.predicate), signer, signOptions), a.predicateType),
    );
    attestations = addCosignManifest(layout, layers);
    layout.list(attestations, { annotations: { [KIND_ANNOTATION]: KIND_ATTESTATIONS, [ANNOTATION_REF_NAME]: cosignTag(image.digest, 'att') } });
  }

  const referrers = (options.referrers ?? []).map((a) => {
    const bundle = instance.signDsse(IN_TOTO_PAYLOAD_TYPE, imageStatement(dockerReference, image.digest, a.predicateType, a.predicate), signer, signOptions);
    const referrer = addBundleReferrer(layout, bundle, image, { content: 'dsse-envelope', predicateType: a.predicateType, created: options.signedAt ?? instance.now });
    const manifest = JSON.parse(layout.blob(referrer.digest)!.toString('utf8')) as { annotations: Record<string, string> };
    return layout.list(referrer, { artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE, annotations: manifest.annotations });
  });

  return { layout, files: layout.files(), image, signatures, attestations, referrers };
}
