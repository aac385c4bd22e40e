// in-toto classic link metadata (the `{signed, signatures}` form in-toto 1.x writes, link `_type` "link"):
// strict parsing, the securesystemslib key ids of the assessor's keys, and signature verification over
// the canonical JSON of `signed` (ed25519, rsassa-pss-sha256, ecdsa-sha2-nistp256/384).

import { createHash, constants, verify, type KeyObject } from 'node:crypto';
import { parseStrictJson } from '../json/strict-json.js';
import { canonicalJson } from './canonical-json.js';

export class LinkFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkFormatError';
  }
}

/** path -> algorithm -> lowercase hex, as in-toto records materials and products. */
export type ArtefactDigests = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface InTotoLink {
  readonly name: string;
  readonly command: readonly string[];
  readonly materials: ArtefactDigests;
  readonly products: ArtefactDigests;
  readonly returnValue: number | null;
}

export interface LinkSignature {
  readonly keyid: string;
  /** the signature bytes (hex in the file) */
  readonly sig: Buffer;
}

export interface LinkDocument {
  readonly link: InTotoLink;
  readonly signatures: readonly LinkSignature[];
  /** canonical JSON of `signed`: the bytes the signatures cover */
  readonly signedBytes: Buffer;
}

const HEX = /^(?:[0-9a-f]{2})+$/;
const LINK_FIELDS = ['_type', 'name', 'command', 'materials', 'products', 'byproducts', 'environment'];

export function parseLink(bytes: Uint8Array): LinkDocument {
  let json: unknown;
  try {
    json = parseStrictJson(bytes);
  } catch (error) {
    throw new LinkFormatError(`not strict JSON: ${(error as Error).message}`);
  }
  const top = object(json, 'link metadata');
  onlyKeys(top, ['signed', 'signatures'], 'link metadata');
  const signed = object(top['signed'], 'signed');
  if (signed['_type'] !== 'link') throw new LinkFormatError(`signed._type is ${JSON.stringify(signed['_type'])}, not "link" (a layout or other metadata)`);
  onlyKeys(signed, LINK_FIELDS, 'signed');
  const name = signed['name'];
  if (typeof name !== 'string' || name === '') throw new LinkFormatError('signed.name must be a non-empty string');
  const command = signed['command'] ?? [];
  if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) throw new LinkFormatError('signed.command must be a list of strings');
  const byproducts = signed['byproducts'] === undefined ? {} : object(signed['byproducts'], 'signed.byproducts');
  const rv = byproducts['return-value'];
  if (rv !== undefined && rv !== null && !Number.isSafeInteger(rv)) throw new LinkFormatError('signed.byproducts.return-value must be an integer');
  if (signed['environment'] !== undefined) object(signed['environment'], 'signed.environment');
  const list = top['signatures'];
  if (!Array.isArray(list)) throw new LinkFormatError('signatures must be a list');
  const signatures = list.map((s, i) => {
    const sig = object(s, `signatures[${i}]`);
    onlyKeys(sig, ['keyid', 'sig'], `signatures[${i}]`);
    const keyid = sig['keyid'];
    const value = sig['sig'];
    if (typeof keyid !== 'string' || !/^[0-9a-f]{64}$/.test(keyid)) throw new LinkFormatError(`signatures[${i}].keyid must be 64 lowercase hex`);
    if (typeof value !== 'string' || !HEX.test(value)) throw new LinkFormatError(`signatures[${i}].sig must be lowercase hex`);
    return { keyid, sig: Buffer.from(value, 'hex') };
  });
  let signedBytes: Buffer;
  try {
    signedBytes = canonicalJson(signed);
  } catch (error) {
    throw new LinkFormatError(`signed cannot be canonicalised: ${(error as Error).message}`);
  }
  return {
    link: {
      name,
      command: command as string[],
      materials: digests(signed['materials'], 'signed.materials'),
      products: digests(signed['products'], 'signed.products'),
      returnValue: typeof rv === 'number' ? rv : null,
    },
    signatures,
    signedBytes,
  };
}

/**
 * The key ids securesystemslib gives this public key: sha256 of the canonical key dictionary, with the
 * legacy `keyid_hash_algorithms` field (in-toto 1.x, securesystemslib < 0.27) and without it (newer).
 */
export function securesystemslibKeyIds(key: KeyObject): string[] {
  const described = keyDictionary(key);
  if (described === null) return [];
  const { keytype, scheme, publicValue } = described;
  const forms = [
    { keytype, scheme, keyid_hash_algorithms: ['sha256', 'sha512'], keyval: { public: publicValue } },
    { keytype, scheme, keyval: { public: publicValue } },
  ];
  return forms.map((form) => createHash('sha256').update(canonicalJson(form)).digest('hex'));
}

function keyDictionary(key: KeyObject): { keytype: string; scheme: string; publicValue: string } | null {
  switch (key.asymmetricKeyType) {
    case 'ed25519': {
      const raw = key.export({ type: 'spki', format: 'der' }).subarray(-32);
      return { keytype: 'ed25519', scheme: 'ed25519', publicValue: raw.toString('hex') };
    }
    case 'rsa':
      return { keytype: 'rsa', scheme: 'rsassa-pss-sha256', publicValue: key.export({ type: 'spki', format: 'pem' }).toString().trim() };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const scheme = curve === 'prime256v1' ? 'ecdsa-sha2-nistp256' : curve === 'secp384r1' ? 'ecdsa-sha2-nistp384' : null;
      if (scheme === null) return null;
      return { keytype: 'ecdsa', scheme, publicValue: key.export({ type: 'spki', format: 'pem' }).toString().trim() };
    }
    default:
      return null;
  }
}

/** Verifies one signature with one key, using the scheme in-toto uses for that key type. */
export function verifyLinkSignature(signedBytes: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ed25519':
        return verify(null, signedBytes, key, signature);
      case 'rsa':
        return verify('sha256', signedBytes, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
      case 'ec':
        return verify(key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256', signedBytes, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

export interface NamedKey {
  readonly name: string;
  readonly key: KeyObject;
}

export interface LinkVerification {
  /** trusted keys whose id a signature names and whose signature verifies */
  readonly verifiedBy: readonly { readonly name: string; readonly keyid: string }[];
  /** signatures naming a trusted key that do not verify */
  readonly invalid: readonly { readonly name: string; readonly keyid: string }[];
  /** key ids of signatures by keys the assessor does not trust */
  readonly unknownKeyIds: readonly string[];
}

export function verifyLink(document: LinkDocument, keys: readonly NamedKey[]): LinkVerification {
  const byId = new Map<string, NamedKey>();
  for (const k of keys) for (const id of securesystemslibKeyIds(k.key)) byId.set(id, k);
  const verifiedBy: { name: string; keyid: string }[] = [];
  const invalid: { name: string; keyid: string }[] = [];
  const unknownKeyIds: string[] = [];
  for (const signature of document.signatures) {
    const key = byId.get(signature.keyid);
    if (key === undefined) unknownKeyIds.push(signature.keyid);
    else if (verifyLinkSignature(document.signedBytes, signature.sig, key.key)) verifiedBy.push({ name: key.name, keyid: signature.keyid });
    else invalid.push({ name: key.name, keyid: signature.keyid });
  }
  return { verifiedBy, invalid, unknownKeyIds };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LinkFormatError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw new LinkFormatError(`${where} has unknown field "${key}"`);
}

function digests(value: unknown, where: string): ArtefactDigests {
  const out: Record<string, Record<string, string>> = {};
  for (const [path, entry] of Object.entries(object(value ?? {}, where))) {
    const algorithms: Record<string, string> = {};
    for (const [algorithm, hex] of Object.entries(object(entry, `${where}["${path}"]`))) {
      if (typeof hex !== 'string' || !/^[0-9a-f]+$/.test(hex)) throw new LinkFormatError(`${where}["${path}"].${algorithm} must be lowercase hex`);
      algorithms[algorithm] = hex;
    }
    out[path] = algorithms;
  }
  return out;
}
