// X.509 certificates for the test Sigstore instance, built from @peculiar/asn1-x509's declared schemas
// and signed with the instance's deterministic ECDSA keys (so no WebCrypto, whose ECDSA is randomised).

import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  DirectoryString,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import type { EcKey } from './ec-key.js';

export interface DistinguishedName {
  readonly organization: string;
  readonly commonName: string;
}

const OID_ORGANIZATION = '2.5.4.10';
const OID_COMMON_NAME = '2.5.4.3';

/** A Name of O and CN (Fulcio's own names have exactly these), or the empty Name of a Fulcio leaf. */
export function distinguishedName(name: DistinguishedName | null): Name {
  if (name === null) return new Name();
  const rdn = (type: string, value: string): RelativeDistinguishedName =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })]);
  return new Name([rdn(OID_ORGANIZATION, name.organization), rdn(OID_COMMON_NAME, name.commonName)]);
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Uint8Array): Buffer {
  const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return createHash('sha1').update(Buffer.from(info.subjectPublicKey)).digest();
}

export function extension(oid: string, critical: boolean, value: ArrayBuffer | Uint8Array): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}

export function basicConstraintsExtension(ca: boolean, pathLength?: number): Extension {
  return extension(id_ce_basicConstraints, true, AsnConvert.serialize(new BasicConstraints({ cA: ca, ...(pathLength === undefined ? {} : { pathLenConstraint: pathLength }) })));
}

export function keyUsageExtension(flags: number): Extension {
  return extension(id_ce_keyUsage, true, AsnConvert.serialize(new KeyUsage(flags)));
}

export function extendedKeyUsageExtension(purposes: readonly string[], critical: boolean): Extension {
  return extension(id_ce_extKeyUsage, critical, AsnConvert.serialize(new ExtendedKeyUsage([...purposes])));
}

export function subjectKeyIdentifierExtension(spki: Uint8Array): Extension {
  return extension(id_ce_subjectKeyIdentifier, false, AsnConvert.serialize(new SubjectKeyIdentifier(keyIdentifier(spki))));
}

export function authorityKeyIdentifierExtension(issuerSpki: Uint8Array): Extension {
  return extension(id_ce_authorityKeyIdentifier, false, AsnConvert.serialize(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifier(issuerSpki)) })));
}

/** One SAN: an email address (rfc822Name) when it has no scheme and one @, otherwise a URI. Critical: the subject is empty. */
export function subjectAlternativeNameExtension(identity: string): Extension {
  const isEmail = !identity.includes(':') && identity.split('@').length === 2;
  const name = isEmail ? new GeneralName({ rfc822Name: identity }) : new GeneralName({ uniformResourceIdentifier: identity });
  return extension(id_ce_subjectAltName, true, AsnConvert.serialize(new SubjectAlternativeName([name])));
}

/** DER UTF8String, the value form of Fulcio's v2 extensions (1.3.6.1.4.1.57264.1.8 and later). */
export function utf8StringDer(value: string): ArrayBuffer {
  return AsnConvert.serialize(new DirectoryString({ utf8String: value }));
}

export { KeyUsageFlags };

export interface CertificateRequest {
  readonly serialNumber: Buffer;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  readonly subjectSpki: Uint8Array;
  readonly extensions: readonly Extension[];
  readonly signer: EcKey;
}

/** The DER TBSCertificate of a request (what a CT log's SCT signs, before the SCT extension is added). */
export function tbsCertificate(request: CertificateRequest): TBSCertificate {
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(request.serialNumber),
    signature: new AlgorithmIdentifier({ algorithm: request.signer.signatureAlgorithmOid }),
    issuer: request.issuer,
    validity: new Validity({ notBefore: request.notBefore, notAfter: request.notAfter }),
    subject: request.subject,
    subjectPublicKeyInfo: AsnConvert.parse(request.subjectSpki, SubjectPublicKeyInfo),
    extensions: new Extensions([...request.extensions]),
  });
}

/** Signs the request into a DER certificate. */
export function issueCertificate(request: CertificateRequest): Buffer {
  const tbs = tbsCertificate(request);
  const tbsDer = AsnConvert.serialize(tbs);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: request.signer.signatureAlgorithmOid }),
    signatureValue: toArrayBuffer(request.signer.sign(new Uint8Array(tbsDer))),
  });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  new X509Certificate(der); // OpenSSL must parse what we issue
  return der;
}

/** A positive DER INTEGER of `bytes` random bytes (the top bit cleared, so no sign byte is needed). */
export function serialNumber(random: Buffer): Buffer {
  const serial = Buffer.from(random);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

export function toPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
