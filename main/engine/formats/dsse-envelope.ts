// DSSE envelopes outside a Sigstore bundle (`.intoto.jsonl`, one envelope per line, as slsa-github-generator
// and in-toto write them): strict parsing, the pre-authentication encoding, and verification of a
// signature with a key the assessor names (Ed25519, ECDSA, RSA PKCS#1 v1.5 / PSS with SHA-256).

import { constants, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict } from '../sigstore/base64.js';
import { parseStrictJson } from '../json/strict-json.js';

export class DsseFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DsseFormatError';
  }
}

export interface DsseSignature {
  readonly keyid: string;
  readonly sig: Buffer;
  /** a PEM certificate some producers put beside the signature; never trusted by itself */
  readonly cert: string | null;
}

export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: Buffer;
  readonly signatures: readonly DsseSignature[];
}

/** Reads a `.intoto.jsonl` file: one envelope per non-empty line. */
export function parseDsseJsonLines(bytes: Uint8Array): DsseEnvelope[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new DsseFormatError('no envelope');
  return lines.map((line, i) => parseDsseEnvelope(line, `line ${i + 1}`));
}

export function parseDsseEnvelope(text: string, where = 'envelope'): DsseEnvelope {
  let json: unknown;
  try {
    json = parseStrictJson(text);
  } catch (error) {
    throw new DsseFormatError(`${where}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new DsseFormatError(`${where}: not an object`);
  const o = json as Record<string, unknown>;
  if (typeof o['payloadType'] !== 'string' || o['payloadType'] === '') throw new DsseFormatError(`${where}: payloadType missing`);
  const payload = decodeBase64Strict(o['payload']);
  if (payload === null) throw new DsseFormatError(`${where}: payload is not valid base64`);
  if (!Array.isArray(o['signatures']) || o['signatures'].length === 0) throw new DsseFormatError(`${where}: no signatures`);
  const signatures = o['signatures'].map((s: unknown, i) => {
    if (typeof s !== 'object' || s === null) throw new DsseFormatError(`${where}: signatures[${i}] is not an object`);
    const entry = s as Record<string, unknown>;
    const sig = decodeBase64Strict(entry['sig']);
    if (sig === null) throw new DsseFormatError(`${where}: signatures[${i}].sig is not valid base64`);
    return { keyid: typeof entry['keyid'] === 'string' ? entry['keyid'] : '', sig, cert: typeof entry['cert'] === 'string' ? entry['cert'] : null };
  });
  return { payloadType: o['payloadType'], payload, signatures };
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (DSSE protocol). */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Does any signature of the envelope verify with this key? */
export function dsseSignedBy(envelope: DsseEnvelope, key: KeyObject): boolean {
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  return envelope.signatures.some((s) => verifyWith(key, pae, s.sig));
}

function verifyWith(key: KeyObject, data: Buffer, sig: Buffer): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ed25519':
        return verify(null, data, key, sig);
      case 'ec': {
        const curve = key.asymmetricKeyDetails?.namedCurve;
        return verify(curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256', data, key, sig);
      }
      case 'rsa':
        return verify('sha256', data, key, sig) || verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
