// SSH signatures (OpenSSH PROTOCOL.sshsig, as `ssh-keygen -Y sign` and `git commit -S` with
// gpg.format=ssh write them) and OpenSSH public keys (authorized_keys lines), verified with Node's crypto:
// ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa (rsa-sha2-256/512 signatures; SHA-1 "ssh-rsa"
// signatures are refused, as OpenSSH refuses them).

import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

export class SshFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshFormatError';
  }
}

export interface SshPublicKey {
  readonly type: string;
  /** the wire-format key blob, compared byte for byte */
  readonly blob: Buffer;
  readonly key: KeyObject;
  /** `SHA256:<base64>` as ssh-keygen -l prints it */
  readonly fingerprint: string;
}

export interface SshSignature {
  readonly publicKey: SshPublicKey;
  readonly namespace: string;
  readonly hashAlgorithm: 'sha256' | 'sha512';
  readonly signatureFormat: string;
  readonly signature: Buffer;
}

const MAGIC = Buffer.from('SSHSIG');
const ARMOR = /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=\n]+)\n-----END SSH SIGNATURE-----\n?$/;
const CURVES: Record<string, { crv: string; hash: string }> = {
  nistp256: { crv: 'P-256', hash: 'sha256' },
  nistp384: { crv: 'P-384', hash: 'sha384' },
  nistp521: { crv: 'P-521', hash: 'sha512' },
};

class Reader {
  #at = 0;
  constructor(private readonly bytes: Buffer) {}
  uint32(): number {
    if (this.#at + 4 > this.bytes.length) throw new SshFormatError('truncated');
    const v = this.bytes.readUInt32BE(this.#at);
    this.#at += 4;
    return v;
  }
  string(): Buffer {
    const length = this.uint32();
    if (this.#at + length > this.bytes.length) throw new SshFormatError('truncated string');
    const v = this.bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return v;
  }
  fixed(length: number): Buffer {
    if (this.#at + length > this.bytes.length) throw new SshFormatError('truncated');
    const v = this.bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return v;
  }
  end(where: string): void {
    if (this.#at !== this.bytes.length) throw new SshFormatError(`${where}: ${this.bytes.length - this.#at} trailing bytes`);
  }
}

function sshString(bytes: Buffer | string): Buffer {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(b.length);
  return Buffer.concat([length, b]);
}

/** An mpint as unsigned big-endian bytes without leading zeros (for JWK). */
function unsigned(mpint: Buffer): Buffer {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return mpint.subarray(i);
}

const b64url = (b: Buffer): string => b.toString('base64url');

/** Parses a public key blob in SSH wire format. */
export function parseSshPublicKeyBlob(blob: Buffer): SshPublicKey {
  const r = new Reader(blob);
  const type = r.string().toString('latin1');
  let key: KeyObject;
  if (type === 'ssh-ed25519') {
    const raw = r.string();
    if (raw.length !== 32) throw new SshFormatError('an ssh-ed25519 key must be 32 bytes');
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });
  } else if (type === 'ssh-rsa') {
    const e = unsigned(r.string());
    const n = unsigned(r.string());
    if (n.length * 8 < 2048) throw new SshFormatError(`an RSA key of ${n.length * 8} bits is too small (minimum 2048)`);
    key = createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
  } else if (type.startsWith('ecdsa-sha2-')) {
    const curveName = r.string().toString('latin1');
    const curve = CURVES[curveName];
    if (curve === undefined || type !== `ecdsa-sha2-${curveName}`) throw new SshFormatError(`unsupported ECDSA curve ${curveName}`);
    const point = r.string();
    const size = (point.length - 1) / 2;
    if (point[0] !== 4 || !Number.isInteger(size)) throw new SshFormatError('an ECDSA key must be an uncompressed point');
    key = createPublicKey({ key: { kty: 'EC', crv: curve.crv, x: b64url(point.subarray(1, 1 + size)), y: b64url(point.subarray(1 + size)) }, format: 'jwk' });
  } else {
    throw new SshFormatError(`unsupported SSH key type ${type}`);
  }
  r.end('public key');
  return { type, blob, key, fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}` };
}

/** One OpenSSH public key line: `<type> <base64> [comment]`. */
export function parseAuthorizedKey(line: string): SshPublicKey {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2) throw new SshFormatError('expected "<type> <base64> [comment]"');
  const blob = Buffer.from(parts[1]!, 'base64');
  if (blob.toString('base64') !== parts[1]) throw new SshFormatError('the key is not canonical base64');
  const key = parseSshPublicKeyBlob(blob);
  if (key.type !== parts[0]) throw new SshFormatError(`the line says ${parts[0]} but the key is ${key.type}`);
  return key;
}

export function parseSshSignature(armored: string): SshSignature {
  const match = ARMOR.exec(armored.replace(/\r\n/g, '\n'));
  if (match === null) throw new SshFormatError('not an armored SSH signature');
  const blob = Buffer.from(match[1]!.replace(/\n/g, ''), 'base64');
  const r = new Reader(blob);
  if (!r.fixed(6).equals(MAGIC)) throw new SshFormatError('missing SSHSIG magic');
  const version = r.uint32();
  if (version !== 1) throw new SshFormatError(`SSHSIG version ${version} is not 1`);
  const publicKey = parseSshPublicKeyBlob(r.string());
  const namespace = r.string().toString('utf8');
  r.string(); // reserved
  const hashAlgorithm = r.string().toString('latin1');
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512') throw new SshFormatError(`hash algorithm ${hashAlgorithm} is not sha256 or sha512`);
  const sig = new Reader(r.string());
  r.end('SSHSIG');
  const signatureFormat = sig.string().toString('latin1');
  const signature = sig.string();
  sig.end('signature');
  return { publicKey, namespace, hashAlgorithm, signatureFormat, signature };
}

/** The bytes an SSHSIG signature covers (PROTOCOL.sshsig, "Signed Data"). */
export function sshsigSignedData(namespace: string, hashAlgorithm: 'sha256' | 'sha512', message: Buffer): Buffer {
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(hashAlgorithm), sshString(createHash(hashAlgorithm).update(message).digest())]);
}

/** Verifies the signature over `message` in `namespace`; the caller decides whether the key is trusted. */
export function verifySshSignature(signature: SshSignature, message: Buffer, namespace: string): boolean {
  if (signature.namespace !== namespace) return false;
  const data = sshsigSignedData(namespace, signature.hashAlgorithm, message);
  const { type, key } = signature.publicKey;
  try {
    if (type === 'ssh-ed25519') return signature.signatureFormat === 'ssh-ed25519' && verify(null, data, key, signature.signature);
    if (type === 'ssh-rsa') {
      const hash = signature.signatureFormat === 'rsa-sha2-256' ? 'sha256' : signature.signatureFormat === 'rsa-sha2-512' ? 'sha512' : null;
      return hash !== null && verify(hash, data, key, signature.signature);
    }
    const curve = CURVES[type.slice('ecdsa-sha2-'.length)];
    if (curve === undefined || signature.signatureFormat !== type) return false;
    const rs = new Reader(signature.signature);
    const r = unsigned(rs.string());
    const s = unsigned(rs.string());
    rs.end('ECDSA signature');
    const size = curve.crv === 'P-521' ? 66 : curve.crv === 'P-384' ? 48 : 32;
    if (r.length > size || s.length > size) return false;
    const p1363 = Buffer.concat([Buffer.alloc(size - r.length), r, Buffer.alloc(size - s.length), s]);
    return verify(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' }, p1363);
  } catch {
    return false;
  }
}
