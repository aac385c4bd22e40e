// Loading a signature bundle from bytes: Sigstore bundles v0.1, v0.2 and v0.3 (both spellings of the
// v0.3 media type), with a message signature or a DSSE envelope, and cosign's legacy blob bundle
// (converted to v0.1). Every bytes field is checked as strict base64 before @sigstore/bundle sees it,
// because its decoder would turn a truncated signature into other bytes instead of an error.

import {
  assertBundleV01,
  assertBundleV02,
  bundleFromJSON,
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  type Bundle,
} from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { parseStrictJson } from '../json/strict-json.js';
import { SigstoreBundleError, messageOf } from './errors.js';
import {
  asObject,
  optionalObject,
  int64OrZero,
  optionalString,
  repeated,
  requiredBytes,
  requiredInt64,
  requiredObject,
  requiredString,
  ShapeError,
  type JsonObject,
} from './json-fields.js';
import { nonCanonicalBundlePath } from './canonical-bundle.js';
import { isLegacyCosignBundle, legacyCosignBundleToV01 } from './legacy-bundle.js';

export const BUNDLE_MEDIA_TYPES = [BUNDLE_V01_MEDIA_TYPE, BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_LEGACY_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE] as const;

export type BundleFormat = 'sigstore-bundle-v0.1' | 'sigstore-bundle-v0.2' | 'sigstore-bundle-v0.3' | 'cosign-legacy-bundle';

export interface LoadedBundle {
  readonly bundle: Bundle;
  readonly format: BundleFormat;
  /** The media type of the bundle as verified (v0.1 for a converted legacy bundle). */
  readonly mediaType: string;
  readonly content: 'message-signature' | 'dsse-envelope';
  readonly verificationMaterial: 'certificate' | 'public-key';
}

const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

/** Parses bundle bytes; throws SigstoreBundleError (BUNDLE_MALFORMED, BUNDLE_MEDIA_TYPE, BUNDLE_UNSUPPORTED). */
export interface ParseOptions {
  /**
   * Refuse fields the bundle schema does not know and non-canonical encodings (see canonical-bundle.ts).
   * On for signature files inside an evidence bundle, where every byte must count; off for
   * `verify-bundle`, which accepts what cosign accepts.
   */
  readonly requireCanonical?: boolean;
}

export function parseSignatureBundle(bytes: Uint8Array, options: ParseOptions = {}): LoadedBundle {
  if (bytes.byteLength > MAX_BUNDLE_BYTES) throw new SigstoreBundleError('BUNDLE_MALFORMED', `bundle is larger than ${MAX_BUNDLE_BYTES} bytes`);
  let json: unknown;
  try {
    json = parseStrictJson(bytes);
  } catch (error) {
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `bundle is not valid JSON: ${messageOf(error)}`);
  }
  // A legacy bundle is converted, so canonical form applies to Sigstore bundles as written, not to it.
  if (isLegacyCosignBundle(json)) return { ...fromSerialized(legacyCosignBundleToV01(json)), format: 'cosign-legacy-bundle' };
  return fromSerialized(json, options);
}

/** Validates serialized Sigstore bundle JSON (already parsed strictly) and converts it. */
export function fromSerialized(json: unknown, options: ParseOptions = {}): LoadedBundle {
  let top: JsonObject;
  let mediaType: string;
  try {
    top = asObject(json, 'bundle');
    mediaType = requiredString(top, 'mediaType', 'bundle');
  } catch (error) {
    throw new SigstoreBundleError('BUNDLE_MALFORMED', messageOf(error));
  }
  const format = formatOf(mediaType);
  if (format === null) throw new SigstoreBundleError('BUNDLE_MEDIA_TYPE', `unknown bundle media type "${mediaType}"`);
  let shape: { content: LoadedBundle['content']; verificationMaterial: LoadedBundle['verificationMaterial'] };
  try {
    shape = checkShape(top);
  } catch (error) {
    if (error instanceof SigstoreBundleError) throw error;
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `invalid bundle: ${messageOf(error)}`);
  }
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(top);
    // v0.1 entries must carry an inclusion promise; from v0.2 on an inclusion proof (the spec's rules).
    if (format === 'sigstore-bundle-v0.1') assertBundleV01(bundle);
    else assertBundleV02(bundle);
  } catch (error) {
    if (error instanceof SigstoreBundleError) throw error;
    const fields = (error as { fields?: unknown }).fields;
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `invalid ${format}: ${messageOf(error)}${Array.isArray(fields) ? ` (${fields.join(', ')})` : ''}`);
  }
  const differs = options.requireCanonical === true ? nonCanonicalBundlePath(top, bundle) : null;
  if (differs !== null) throw new SigstoreBundleError('BUNDLE_MALFORMED', `${differs} is unknown or not in canonical form`);
  return { bundle, format, mediaType, ...shape };
}

function formatOf(mediaType: string): BundleFormat | null {
  switch (mediaType) {
    case BUNDLE_V01_MEDIA_TYPE:
      return 'sigstore-bundle-v0.1';
    case BUNDLE_V02_MEDIA_TYPE:
      return 'sigstore-bundle-v0.2';
    case BUNDLE_V03_LEGACY_MEDIA_TYPE:
    case BUNDLE_V03_MEDIA_TYPE:
      return 'sigstore-bundle-v0.3';
    default:
      return null;
  }
}

function checkShape(top: JsonObject): { content: LoadedBundle['content']; verificationMaterial: LoadedBundle['verificationMaterial'] } {
  const material = requiredObject(top, 'verificationMaterial', 'bundle');
  const where = 'verificationMaterial';
  const kinds = ['publicKey', 'x509CertificateChain', 'certificate'].filter((k) => Object.hasOwn(material, k));
  if (kinds.length !== 1) throw new ShapeError(`${where} must hold exactly one of publicKey, x509CertificateChain, certificate (found ${kinds.length})`);
  let verificationMaterial: LoadedBundle['verificationMaterial'] = 'certificate';
  if (kinds[0] === 'publicKey') {
    optionalString(requiredObject(material, 'publicKey', where), 'hint', `${where}.publicKey`);
    verificationMaterial = 'public-key';
  } else if (kinds[0] === 'certificate') {
    checkCertificate(requiredBytes(requiredObject(material, 'certificate', where), 'rawBytes', `${where}.certificate`), `${where}.certificate`);
  } else {
    const chain = repeated(requiredObject(material, 'x509CertificateChain', where), 'certificates', `${where}.x509CertificateChain`);
    if (chain.length === 0) throw new ShapeError(`${where}.x509CertificateChain.certificates is empty`);
    chain.forEach((c, i) => checkCertificate(requiredBytes(asObject(c, 'certificate'), 'rawBytes', `${where}.x509CertificateChain.certificates[${i}]`), `certificate ${i}`));
  }
  repeated(material, 'tlogEntries', where).forEach((entry, i) => checkTlogEntry(asObject(entry, `tlogEntries[${i}]`), `tlogEntries[${i}]`));
  const tsData = optionalObject(material, 'timestampVerificationData', where);
  if (tsData !== null) {
    repeated(tsData, 'rfc3161Timestamps', 'timestampVerificationData').forEach((ts, i) =>
      requiredBytes(asObject(ts, `rfc3161Timestamps[${i}]`), 'signedTimestamp', `rfc3161Timestamps[${i}]`),
    );
  }
  const contents = ['messageSignature', 'dsseEnvelope'].filter((k) => Object.hasOwn(top, k));
  if (contents.length !== 1) throw new ShapeError(`bundle must hold exactly one of messageSignature, dsseEnvelope (found ${contents.length})`);
  if (contents[0] === 'messageSignature') {
    const message = requiredObject(top, 'messageSignature', 'bundle');
    const digest = requiredObject(message, 'messageDigest', 'messageSignature');
    requiredString(digest, 'algorithm', 'messageSignature.messageDigest');
    requiredBytes(digest, 'digest', 'messageSignature.messageDigest');
    requiredBytes(message, 'signature', 'messageSignature');
    return { content: 'message-signature', verificationMaterial };
  }
  const envelope = requiredObject(top, 'dsseEnvelope', 'bundle');
  requiredBytes(envelope, 'payload', 'dsseEnvelope');
  requiredString(envelope, 'payloadType', 'dsseEnvelope');
  const signatures = repeated(envelope, 'signatures', 'dsseEnvelope');
  // @sigstore/verify checks only the first signature; a second one would be shown to nobody.
  if (signatures.length !== 1) throw new SigstoreBundleError('BUNDLE_UNSUPPORTED', `DSSE envelope must carry exactly one signature, found ${signatures.length}`);
  signatures.forEach((s, i) => requiredBytes(asObject(s, `signatures[${i}]`), 'sig', `dsseEnvelope.signatures[${i}]`));
  return { content: 'dsse-envelope', verificationMaterial };
}

function checkCertificate(der: Buffer<ArrayBuffer>, where: string): void {
  try {
    X509Certificate.parse(der);
  } catch (error) {
    throw new ShapeError(`${where} is not a DER X.509 certificate (${messageOf(error)})`);
  }
}

function checkTlogEntry(entry: JsonObject, where: string): void {
  int64OrZero(entry, 'logIndex', where);
  requiredBytes(requiredObject(entry, 'logId', where), 'keyId', `${where}.logId`);
  const kindVersion = requiredObject(entry, 'kindVersion', where);
  requiredString(kindVersion, 'kind', `${where}.kindVersion`);
  requiredString(kindVersion, 'version', `${where}.kindVersion`);
  if (entry['integratedTime'] !== undefined && entry['integratedTime'] !== null) requiredInt64(entry, 'integratedTime', where);
  const promise = optionalObject(entry, 'inclusionPromise', where);
  if (promise !== null) requiredBytes(promise, 'signedEntryTimestamp', `${where}.inclusionPromise`);
  const proof = optionalObject(entry, 'inclusionProof', where);
  if (proof !== null) {
    int64OrZero(proof, 'logIndex', `${where}.inclusionProof`);
    requiredInt64(proof, 'treeSize', `${where}.inclusionProof`);
    requiredBytes(proof, 'rootHash', `${where}.inclusionProof`);
    repeated(proof, 'hashes', `${where}.inclusionProof`).forEach((h, i) => {
      requiredBytes({ h }, 'h', `${where}.inclusionProof.hashes[${i}]`);
    });
    requiredString(requiredObject(proof, 'checkpoint', `${where}.inclusionProof`), 'envelope', `${where}.inclusionProof.checkpoint`);
  }
  requiredBytes(entry, 'canonicalizedBody', where);
}
