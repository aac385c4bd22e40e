// A certificate transparency log for the test Fulcio: it returns RFC 6962 signed certificate timestamps
// (SCTs) for precertificates, which Fulcio embeds in the leaf. Only the SCT is made; there is no CT tree,
// because Sigstore verifiers check the SCT signature alone. SCTs are TLS structures (RFC 6962 3.2,
// RFC 5246 4), not ASN.1, so they are written with a small byte writer here.

import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import type { EcKey } from './ec-key.js';
import { extension } from './x509.js';
import type { Extension } from '@peculiar/asn1-x509';

export const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';

const SCT_VERSION_V1 = 0;
const SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP = 0;
const ENTRY_TYPE_PRECERT = 1;
const HASH_SHA256 = 4;
const SIGNATURE_ECDSA = 3;

export class CtLog {
  readonly key: EcKey;
  readonly baseUrl: string;
  /** RFC 6962 log id: sha256 of the log's SubjectPublicKeyInfo. */
  readonly logId: Buffer;

  constructor(key: EcKey, baseUrl: string) {
    this.key = key;
    this.baseUrl = baseUrl;
    this.logId = createHash('sha256').update(key.spki).digest();
  }

  /** An SCT for the precertificate whose TBS (without SCT list or poison) is `tbsDer`, issued by the key `issuerSpki`. */
  signedCertificateTimestamp(tbsDer: Uint8Array, issuerSpki: Uint8Array, at: Date): Buffer {
    const timestamp = uint(BigInt(at.getTime()), 8);
    const signed = Buffer.concat([
      uint(SCT_VERSION_V1, 1),
      uint(SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP, 1),
      timestamp,
      uint(ENTRY_TYPE_PRECERT, 2),
      createHash('sha256').update(issuerSpki).digest(),
      opaque(tbsDer, 3),
      opaque(Buffer.alloc(0), 2), // no CT extensions
    ]);
    const signature = this.key.sign(signed);
    return Buffer.concat([
      uint(SCT_VERSION_V1, 1),
      this.logId,
      timestamp,
      opaque(Buffer.alloc(0), 2),
      uint(HASH_SHA256, 1),
      uint(SIGNATURE_ECDSA, 1),
      opaque(signature, 2),
    ]);
  }
}

/** The X.509 extension carrying SCTs: an OCTET STRING holding the TLS SignedCertificateTimestampList. */
export function sctListExtension(scts: readonly Buffer[]): Extension {
  const list = opaque(Buffer.concat(scts.map((sct) => opaque(sct, 2))), 2);
  return extension(OID_SCT_LIST, false, AsnConvert.serialize(new OctetString(list)));
}

function uint(value: number | bigint, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let rest = BigInt(value);
  for (let i = bytes - 1; i >= 0; i -= 1) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new RangeError(`${value} does not fit in ${bytes} bytes`);
  return out;
}

/** TLS opaque<..2^(8*lengthBytes)-1>: a big-endian length, then the bytes. */
function opaque(bytes: Uint8Array, lengthBytes: number): Buffer {
  return Buffer.concat([uint(bytes.length, lengthBytes), bytes]);
}
