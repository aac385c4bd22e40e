// Who signed: the identity policy (exact certificate SAN plus exact OIDC issuer, or a key) and the
// reading of a Fulcio certificate's identity. Matching is string equality, never a pattern: the library's
// verifySubjectAlternativeName treats a string as an unanchored RegExp, so "alice@example.com" would
// also accept "malice@example.com.evil"; Assay reads the SANs itself and compares them exactly.

import type { X509Certificate } from '@sigstore/core';
import type { VerificationKey } from './public-key.js';

export type SignerPolicy =
  | { readonly kind: 'certificate'; readonly identity: string; readonly issuer: string }
  | { readonly kind: 'key'; readonly key: VerificationKey; readonly name?: string };

export interface CertificateIdentity {
  /** Every subject alternative name, decoded; Fulcio issues exactly one. */
  readonly subjectAlternativeNames: readonly string[];
  /** The OIDC issuer extension (1.3.6.1.4.1.57264.1.8, or the older .1.1); null when absent. */
  readonly issuer: string | null;
  /** Set when the two issuer extensions disagree: such a certificate names no single issuer. */
  readonly conflictingIssuers: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
}

const OID_SAN = '2.5.29.17';
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_OTHERNAME_USERNAME = '1.3.6.1.4.1.57264.1.7';

export function readCertificateIdentity(certificate: X509Certificate): CertificateIdentity {
  const v2 = certificate.extension(OID_ISSUER_V2);
  const v1 = certificate.extension(OID_ISSUER_V1);
  // v2 holds a DER UTF8String; v1 holds the raw issuer bytes.
  const issuerV2 = v2 === undefined ? null : (v2.valueObj.subs[0]?.value.toString('utf8') ?? null);
  const issuerV1 = v1 === undefined ? null : v1.value.toString('utf8');
  return {
    subjectAlternativeNames: subjectAlternativeNames(certificate),
    issuer: issuerV2 ?? issuerV1,
    conflictingIssuers: issuerV1 !== null && issuerV2 !== null && issuerV1 !== issuerV2,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    serialNumber: certificate.serialNumber.toString('hex'),
  };
}

function subjectAlternativeNames(certificate: X509Certificate): string[] {
  const extension = certificate.extension(OID_SAN);
  if (extension === undefined) return [];
  const names = extension.valueObj.subs[0]?.subs ?? [];
  return names.map((name) => {
    if (name.tag.isContextSpecific(0x01) || name.tag.isContextSpecific(0x06)) return name.value.toString('utf8'); // rfc822Name, URI
    if (name.tag.isContextSpecific(0x00) && name.subs[0]?.toOID() === OID_OTHERNAME_USERNAME) return name.subs[1]?.subs[0]?.value.toString('utf8') ?? '';
    // DNS names, IP addresses and other forms are not Sigstore identities; kept visible, never matched.
    return `<unsupported SAN type ${name.tag.number}>`;
  });
}

/** Exact match of a certificate against an identity policy; returns the reason it fails, or null. */
export function identityMismatch(identity: CertificateIdentity, policy: { identity: string; issuer: string }): string | null {
  if (identity.subjectAlternativeNames.length !== 1) {
    return `the certificate has ${identity.subjectAlternativeNames.length} subject alternative names; exactly one is required`;
  }
  const san = identity.subjectAlternativeNames[0]!;
  if (san !== policy.identity) return `signed by ${JSON.stringify(san)}, not ${JSON.stringify(policy.identity)}`;
  if (identity.conflictingIssuers) return 'the certificate carries two different OIDC issuer extensions';
  if (identity.issuer === null) return 'the certificate has no OIDC issuer extension';
  if (identity.issuer !== policy.issuer) return `issued through ${JSON.stringify(identity.issuer)}, not ${JSON.stringify(policy.issuer)}`;
  return null;
}

/** An anchored pattern matching exactly `text`, for the library's own (second) policy check. */
export function exactPattern(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'u');
}
