// Verifying a message signature from the artefact's digest alone (`FILE_OR_DIGEST` given as
// sha256:<hex>). Node's crypto always hashes the message itself, so ECDSA is verified here over the
// given digest (FIPS 186-4 section 6.4 with BigInt arithmetic; public values only, so timing does not
// matter) and RSA PKCS#1 v1.5 by recovering and comparing the DigestInfo. Ed25519 and RSA-PSS cannot be
// checked from a digest of the message; those are refused rather than guessed.

import { constants, publicDecrypt, type KeyObject } from 'node:crypto';

export class PrehashUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrehashUnsupportedError';
  }
}

interface Curve {
  readonly p: bigint;
  readonly a: bigint;
  readonly n: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
}

// SEC 2 / FIPS 186-4 domain parameters (a = p - 3 for all three).
const CURVES: Record<string, Curve> = {
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    gx: 0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
    gy: 0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
  },
};

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Verifies `signature` over a SHA-256 `digest` with `key`; throws PrehashUnsupportedError for key types that cannot. */
export function verifyDigestSignature(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (digest.length !== 32) throw new PrehashUnsupportedError('only SHA-256 digests are supported');
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (curve === undefined) throw new PrehashUnsupportedError(`EC curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'} is not supported`);
      const jwk = key.export({ format: 'jwk' });
      const q = { x: toBigInt(Buffer.from(jwk.x ?? '', 'base64url')), y: toBigInt(Buffer.from(jwk.y ?? '', 'base64url')) };
      const rs = parseDerSignature(signature);
      return rs !== null && ecdsaVerify(curve, q, digest, rs.r, rs.s);
    }
    case 'rsa': {
      let recovered: Buffer;
      try {
        recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      } catch {
        return false; // not a PKCS#1 v1.5 signature block under this key
      }
      return recovered.equals(Buffer.concat([SHA256_DIGEST_INFO, digest]));
    }
    default:
      // Ed25519 (pure EdDSA) signs the message itself, so no digest of it can be checked.
      throw new PrehashUnsupportedError(`a ${key.asymmetricKeyType ?? 'unknown'} signature cannot be verified from a digest; give the artefact itself`);
  }
}

function ecdsaVerify(curve: Curve, q: Point, digest: Buffer, r: bigint, s: bigint): boolean {
  const { n } = curve;
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  // e is the leftmost bits of the digest, as many as n has (a no-op for SHA-256 on these curves).
  const nBits = n.toString(2).length;
  let e = toBigInt(digest);
  if (digest.length * 8 > nBits) e >>= BigInt(digest.length * 8 - nBits);
  const w = modInverse(s, n);
  const u1 = (e * w) % n;
  const u2 = (r * w) % n;
  const point = add(curve, multiply(curve, { x: curve.gx, y: curve.gy }, u1), multiply(curve, q, u2));
  if (point === null) return false;
  return point.x % n === r;
}

interface Point {
  readonly x: bigint;
  readonly y: bigint;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function modInverse(a: bigint, m: bigint): bigint {
  // Extended Euclid; m is prime and a is non-zero mod m wherever this is called.
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return mod(oldS, m);
}

/** Affine point addition; null is the point at infinity. */
function add(curve: Curve, p1: Point | null, p2: Point | null): Point | null {
  if (p1 === null) return p2;
  if (p2 === null) return p1;
  const { p } = curve;
  let lambda: bigint;
  if (p1.x === p2.x) {
    if (mod(p1.y + p2.y, p) === 0n) return null;
    lambda = mod((3n * p1.x * p1.x + curve.a) * modInverse(2n * p1.y, p), p);
  } else {
    lambda = mod((p2.y - p1.y) * modInverse(p2.x - p1.x, p), p);
  }
  const x = mod(lambda * lambda - p1.x - p2.x, p);
  return { x, y: mod(lambda * (p1.x - x) - p1.y, p) };
}

function multiply(curve: Curve, point: Point, scalar: bigint): Point | null {
  let result: Point | null = null;
  let addend: Point | null = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(curve, result, addend);
    addend = add(curve, addend, addend);
  }
  return result;
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** Parses an ASN.1 DER ECDSA-Sig-Value { r INTEGER, s INTEGER }; null if it is anything else. */
function parseDerSignature(signature: Buffer): { r: bigint; s: bigint } | null {
  try {
    return parseSequence(signature);
  } catch {
    return null;
  }
}

function parseSequence(der: Buffer): { r: bigint; s: bigint } | null {
  if (der[0] !== 0x30) return null;
  const [length, offset] = readLength(der, 1);
  if (offset + length !== der.length) return null;
  const r = readInteger(der, offset);
  if (r === null) return null;
  const s = readInteger(der, r.next);
  if (s === null || s.next !== der.length) return null;
  return { r: r.value, s: s.value };
}

function readLength(der: Buffer, at: number): [number, number] {
  const first = der[at];
  if (first === undefined) throw new Error('truncated');
  if (first < 0x80) return [first, at + 1];
  const count = first & 0x7f;
  if (count === 0 || count > 2) throw new Error('unsupported length');
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const b = der[at + i];
    if (b === undefined) throw new Error('truncated');
    length = (length << 8) | b;
  }
  return [length, at + 1 + count];
}

function readInteger(der: Buffer, at: number): { value: bigint; next: number } | null {
  if (der[at] !== 0x02) return null;
  const [length, offset] = readLength(der, at + 1);
  if (length === 0 || offset + length > der.length) return null;
  const bytes = der.subarray(offset, offset + length);
  if ((bytes[0]! & 0x80) !== 0) return null; // negative: not a valid r or s
  return { value: toBigInt(bytes), next: offset + length };
}
