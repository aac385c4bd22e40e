// Strict loading of a Sigstore trusted root (trusted_root.json): the assessor's anchors for Fulcio-like
// CAs, Rekor-like logs, CT logs and timestamp authorities. @sigstore/verify fills gaps with "valid
// forever" and parses keys only when used; here every field the spec requires must be present, every
// key must parse as the type its keyDetails names, and every validity window must be well-formed, so a
// damaged or hand-edited root stops the verifier (exit 2) instead of quietly trusting more than it says.

import { createHash, createPublicKey, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { X509Certificate } from '@sigstore/core';
import { PublicKeyDetails, HashAlgorithm, type TrustedRoot, type CertificateAuthority, type TransparencyLogInstance } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import { parseStrictJson } from '../json/strict-json.js';
import { messageOf, TrustedMaterialError } from './errors.js';
import {
  asObject,
  onlyKeys,
  optionalObject,
  optionalString,
  repeated,
  requiredBytes,
  requiredObject,
  requiredString,
  ShapeError,
  type JsonObject,
} from './json-fields.js';

export const TRUSTED_ROOT_MEDIA_TYPES = ['application/vnd.dev.sigstore.trustedroot+json;version=0.1', 'application/vnd.dev.sigstore.trustedroot.v0.2+json'] as const;

const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;

export interface TimeWindow {
  readonly start: Date;
  /** null: the spec allows an open end ("started, no known end"). */
  readonly end: Date | null;
}

export interface LogSummary {
  readonly baseUrl: string;
  /** hex of logId.keyId */
  readonly logId: string;
  readonly keyDetails: string;
  /** null: the spec makes a log key's window optional, and this root gives none. */
  readonly validFor: TimeWindow | null;
}

export interface AuthoritySummary {
  readonly uri: string;
  readonly subject: string;
  readonly certificates: number;
  readonly validFor: TimeWindow;
  /** 'certificate-chain': validFor had no start, so the window is the chain's own (never open-ended). */
  readonly validForSource: 'trusted-root' | 'certificate-chain';
}

export interface LoadedTrustedRoot {
  /** Where it came from, for messages: a path or "embedded public-good". */
  readonly source: string;
  readonly mediaType: string;
  /** hex sha256 of the exact bytes loaded, so a report can say which root decided. */
  readonly sha256: string;
  readonly tlogs: readonly LogSummary[];
  readonly ctlogs: readonly LogSummary[];
  readonly certificateAuthorities: readonly AuthoritySummary[];
  readonly timestampAuthorities: readonly AuthoritySummary[];
  /** The validated root in @sigstore/protobuf-specs form, for toTrustMaterial. */
  readonly root: TrustedRoot;
}

/** Parses and validates trusted_root.json bytes; throws TrustedMaterialError naming the first problem. */
export function parseTrustedRoot(bytes: Uint8Array, source: string): LoadedTrustedRoot {
  if (bytes.byteLength > MAX_TRUSTED_ROOT_BYTES) throw new TrustedMaterialError(`trusted root ${source}: larger than ${MAX_TRUSTED_ROOT_BYTES} bytes`);
  let json: unknown;
  try {
    json = parseStrictJson(bytes);
  } catch (error) {
    throw new TrustedMaterialError(`trusted root ${source}: ${messageOf(error)}`);
  }
  try {
    const loaded = readRoot(json, source, createHash('sha256').update(bytes).digest('hex'));
    // The library converts lazily-typed fields itself; make sure it accepts what we accepted.
    toTrustMaterial(loaded.root);
    return loaded;
  } catch (error) {
    if (error instanceof TrustedMaterialError) throw error;
    throw new TrustedMaterialError(`trusted root ${source}: ${messageOf(error)}`);
  }
}

function readRoot(json: unknown, source: string, sha256: string): LoadedTrustedRoot {
  const top = asObject(json, 'trusted root');
  onlyKeys(top, ['mediaType', 'tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities'], 'trusted root');
  const mediaType = requiredString(top, 'mediaType', 'trusted root');
  if (!(TRUSTED_ROOT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw new ShapeError(`unknown media type "${mediaType}" (expected ${TRUSTED_ROOT_MEDIA_TYPES.join(' or ')})`);
  }
  const tlogs = repeated(top, 'tlogs', 'trusted root').map((entry, i) => readLog(entry, `tlogs[${i}]`));
  const ctlogs = repeated(top, 'ctlogs', 'trusted root').map((entry, i) => readLog(entry, `ctlogs[${i}]`));
  const cas = repeated(top, 'certificateAuthorities', 'trusted root').map((entry, i) => readAuthority(entry, `certificateAuthorities[${i}]`));
  const tsas = repeated(top, 'timestampAuthorities', 'trusted root').map((entry, i) => readAuthority(entry, `timestampAuthorities[${i}]`));
  if (tlogs.length + cas.length + tsas.length === 0) throw new ShapeError('lists no transparency log, certificate authority or timestamp authority');
  return {
    source,
    mediaType,
    sha256,
    tlogs: tlogs.map((l) => l.summary),
    ctlogs: ctlogs.map((l) => l.summary),
    certificateAuthorities: cas.map((a) => a.summary),
    timestampAuthorities: tsas.map((a) => a.summary),
    root: {
      mediaType,
      tlogs: tlogs.map((l) => l.instance),
      ctlogs: ctlogs.map((l) => l.instance),
      certificateAuthorities: cas.map((a) => a.authority),
      timestampAuthorities: tsas.map((a) => a.authority),
    },
  };
}

function readLog(value: unknown, where: string): { summary: LogSummary; instance: TransparencyLogInstance } {
  const log = asObject(value, where);
  onlyKeys(log, ['baseUrl', 'hashAlgorithm', 'publicKey', 'logId', 'checkpointKeyId', 'operator'], where);
  const baseUrl = requiredString(log, 'baseUrl', where);
  const hashAlgorithm = requiredString(log, 'hashAlgorithm', where);
  // Merkle trees in Rekor and CT are SHA-256; @sigstore/verify hashes with SHA-256 whatever this says.
  if (hashAlgorithm !== 'SHA2_256') throw new ShapeError(`${where}.hashAlgorithm "${hashAlgorithm}" is not supported (expected SHA2_256)`);
  const publicKey = requiredObject(log, 'publicKey', where);
  onlyKeys(publicKey, ['rawBytes', 'keyDetails', 'validFor'], `${where}.publicKey`);
  const rawBytes = requiredBytes(publicKey, 'rawBytes', `${where}.publicKey`);
  const keyDetails = requiredString(publicKey, 'keyDetails', `${where}.publicKey`);
  checkLogKey(rawBytes, keyDetails, `${where}.publicKey`);
  const windowJson = optionalObject(publicKey, 'validFor', `${where}.publicKey`);
  const validFor = windowJson === null ? null : readWindow(windowJson, `${where}.publicKey.validFor`);
  const logId = readLogId(requiredObject(log, 'logId', where), `${where}.logId`);
  const checkpointJson = optionalObject(log, 'checkpointKeyId', where);
  const checkpointKeyId = checkpointJson === null ? undefined : { keyId: readLogId(checkpointJson, `${where}.checkpointKeyId`) };
  const operator = optionalString(log, 'operator', where) ?? '';
  return {
    summary: { baseUrl, logId: logId.toString('hex'), keyDetails, validFor },
    instance: {
      baseUrl,
      hashAlgorithm: HashAlgorithm.SHA2_256,
      publicKey: {
        rawBytes,
        keyDetails: PublicKeyDetails[keyDetails as keyof typeof PublicKeyDetails],
        validFor: validFor === null ? undefined : { start: validFor.start, end: validFor.end ?? undefined },
      },
      logId: { keyId: logId },
      checkpointKeyId,
      operator,
    },
  };
}

function readLogId(value: JsonObject, where: string): Buffer {
  onlyKeys(value, ['keyId'], where);
  const keyId = requiredBytes(value, 'keyId', where);
  if (keyId.length !== 32) throw new ShapeError(`${where}.keyId must be 32 bytes (a SHA-256 key id), got ${keyId.length}`);
  return keyId;
}

/** The key types @sigstore/verify can use for a log, how it parses each, and what the key must be. */
const LOG_KEY_FORMATS: Record<string, { format: 'spki' | 'pkcs1'; check: (key: KeyObject) => boolean }> = {
  PKIX_ECDSA_P256_SHA_256: { format: 'spki', check: (k) => isCurve(k, 'prime256v1') },
  PKIX_ECDSA_P384_SHA_384: { format: 'spki', check: (k) => isCurve(k, 'secp384r1') },
  PKIX_ECDSA_P521_SHA_512: { format: 'spki', check: (k) => isCurve(k, 'secp521r1') },
  PKIX_ED25519: { format: 'spki', check: (k) => k.asymmetricKeyType === 'ed25519' },
  // @sigstore/verify reads every PKCS#1 v1.5 RSA log key as PKCS#1 DER (see its createTLogAuthority).
  PKCS1_RSA_PKCS1V5: { format: 'pkcs1', check: (k) => isRsa(k, 2048) },
  PKIX_RSA_PKCS1V5: { format: 'pkcs1', check: (k) => isRsa(k, 2048) },
  PKIX_RSA_PKCS1V15_2048_SHA256: { format: 'pkcs1', check: (k) => isRsa(k, 2048, 2048) },
  PKIX_RSA_PKCS1V15_3072_SHA256: { format: 'pkcs1', check: (k) => isRsa(k, 3072, 3072) },
  PKIX_RSA_PKCS1V15_4096_SHA256: { format: 'pkcs1', check: (k) => isRsa(k, 4096, 4096) },
};

function checkLogKey(rawBytes: Buffer, keyDetails: string, where: string): void {
  const format = LOG_KEY_FORMATS[keyDetails];
  if (format === undefined) {
    // RSA-PSS, HMAC, Ed25519ph, LMS and unknown names: the library would verify them wrongly or not at all.
    throw new ShapeError(`${where}.keyDetails "${keyDetails}" is not a supported key format (supported: ${Object.keys(LOG_KEY_FORMATS).join(', ')})`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: rawBytes, format: 'der', type: format.format });
  } catch (error) {
    throw new ShapeError(`${where}.rawBytes is not a ${format.format.toUpperCase()} public key (${messageOf(error)})`);
  }
  if (!format.check(key)) throw new ShapeError(`${where}.rawBytes holds a ${describe(key)} key, not the ${keyDetails} key its keyDetails names`);
}

function isCurve(key: KeyObject, curve: string): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve;
}

function isRsa(key: KeyObject, minBits: number, exactBits?: number): boolean {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return key.asymmetricKeyType === 'rsa' && bits >= minBits && (exactBits === undefined || bits === exactBits);
}

function describe(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  return [key.asymmetricKeyType, d.namedCurve, d.modulusLength].filter((x) => x !== undefined).join(' ');
}

function readAuthority(value: unknown, where: string): { summary: AuthoritySummary; authority: CertificateAuthority } {
  const ca = asObject(value, where);
  onlyKeys(ca, ['subject', 'uri', 'certChain', 'validFor', 'operator'], where);
  const subjectJson = requiredObject(ca, 'subject', where);
  onlyKeys(subjectJson, ['organization', 'commonName'], `${where}.subject`);
  const organization = optionalString(subjectJson, 'organization', `${where}.subject`) ?? '';
  const commonName = optionalString(subjectJson, 'commonName', `${where}.subject`) ?? '';
  const uri = requiredString(ca, 'uri', where);
  const chainJson = requiredObject(ca, 'certChain', where);
  onlyKeys(chainJson, ['certificates'], `${where}.certChain`);
  const certificates = repeated(chainJson, 'certificates', `${where}.certChain`);
  if (certificates.length === 0) throw new ShapeError(`${where}.certChain.certificates is empty`);
  const chain = certificates.map((entry, i) => {
    const cert = asObject(entry, `${where}.certChain.certificates[${i}]`);
    onlyKeys(cert, ['rawBytes'], `${where}.certChain.certificates[${i}]`);
    return readCertificate(requiredBytes(cert, 'rawBytes', `${where}.certChain.certificates[${i}]`), `${where}.certChain.certificates[${i}]`);
  });
  const windowJson = requiredObject(ca, 'validFor', where);
  const { validFor, validForSource } = authorityWindow(windowJson, chain, `${where}.validFor`);
  const operator = optionalString(ca, 'operator', where) ?? '';
  return {
    summary: { uri, subject: [organization && `O=${organization}`, commonName && `CN=${commonName}`].filter(Boolean).join(', '), certificates: chain.length, validFor, validForSource },
    authority: {
      subject: { organization, commonName },
      uri,
      certChain: { certificates: chain.map((c) => ({ rawBytes: c.der })) },
      validFor: { start: validFor.start, end: validFor.end ?? undefined },
      operator,
    },
  };
}

interface ParsedCertificate {
  readonly der: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function readCertificate(der: Buffer<ArrayBuffer>, where: string): ParsedCertificate {
  try {
    // Both parsers must accept it: Node's (OpenSSL) for well-formedness, the library's because it verifies with it.
    const node = new NodeX509(der);
    X509Certificate.parse(der);
    return { der, notBefore: new Date(node.validFromDate ?? node.validFrom), notAfter: new Date(node.validToDate ?? node.validTo) };
  } catch (error) {
    throw new ShapeError(`${where} is not a DER X.509 certificate (${messageOf(error)})`);
  }
}

/**
 * An authority's window. sigstore-js's own test roots write `validFor: {}`; rather than reading that
 * as "valid forever" (the library's default), the window becomes what the chain itself allows: from
 * the latest notBefore to the earliest notAfter. A missing validFor is an error.
 */
function authorityWindow(windowJson: JsonObject, chain: readonly ParsedCertificate[], where: string): { validFor: TimeWindow; validForSource: AuthoritySummary['validForSource'] } {
  if (Object.keys(windowJson).length === 0) {
    const start = new Date(Math.max(...chain.map((c) => c.notBefore.getTime())));
    const end = new Date(Math.min(...chain.map((c) => c.notAfter.getTime())));
    if (end < start) throw new ShapeError(`${where} is empty and the certificate chain has no common validity period`);
    return { validFor: { start, end }, validForSource: 'certificate-chain' };
  }
  return { validFor: readWindow(windowJson, where), validForSource: 'trusted-root' };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function readWindow(windowJson: JsonObject, where: string): TimeWindow {
  onlyKeys(windowJson, ['start', 'end'], where);
  const start = readTime(requiredString(windowJson, 'start', where), `${where}.start`);
  const endText = optionalString(windowJson, 'end', where);
  const end = endText === null ? null : readTime(endText, `${where}.end`);
  if (end !== null && end.getTime() < start.getTime()) throw new ShapeError(`${where} ends (${end.toISOString()}) before it starts (${start.toISOString()})`);
  return { start, end };
}

function readTime(text: string, where: string): Date {
  const match = RFC3339.exec(text);
  const date = new Date(text);
  if (match === null || Number.isNaN(date.getTime())) throw new ShapeError(`${where} "${text}" is not an RFC 3339 time`);
  const [, , month, day, hour, minute, second] = match.map(Number);
  // Date() rolls 2024-02-30 over into March; a trusted root with such a date is damaged, not lenient.
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 59) throw new ShapeError(`${where} "${text}" is not a valid time`);
  if (match[8] === 'Z' && date.getUTCDate() !== day) throw new ShapeError(`${where} "${text}" is not a valid date`);
  return date;
}

/** Reads and validates a trusted_root.json file; unreadable or invalid is a TrustedMaterialError. */
export async function loadTrustedRootFile(path: string, source: string = path): Promise<LoadedTrustedRoot> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new TrustedMaterialError(`cannot read trusted root ${source}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
  }
  return parseTrustedRoot(bytes, source);
}
