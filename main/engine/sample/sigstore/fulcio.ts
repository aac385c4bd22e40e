// A Fulcio-like certificate authority: a root and an intermediate (P-384, as Fulcio's), issuing
// 10-minute code-signing certificates for an ephemeral key, with the signer's identity as the only SAN
// (critical, the subject being empty) and the OIDC issuer in both of Fulcio's extensions:
// 1.3.6.1.4.1.57264.1.1 (legacy, raw bytes) and 1.3.6.1.4.1.57264.1.8 (DER UTF8String). With a CT log,
// each certificate carries an SCT over its precertificate, as Fulcio's do.

import { id_kp_codeSigning } from '@peculiar/asn1-x509';
import { Prng } from '../prng.js';
import { sctListExtension, type CtLog } from './ct-log.js';
import { deriveEcKey, type EcKey } from './ec-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  extension,
  issueCertificate,
  keyUsageExtension,
  KeyUsageFlags,
  serialNumber,
  subjectAlternativeNameExtension,
  subjectKeyIdentifierExtension,
  tbsCertificate,
  utf8StringDer,
  type CertificateRequest,
  type DistinguishedName,
} from './x509.js';
import { AsnConvert } from '@peculiar/asn1-schema';

/** Who signs: the certificate's SAN (an email address or a URI) and the OIDC issuer that vouched for it. */
export interface SignerIdentity {
  readonly identity: string;
  readonly issuer: string;
}

export const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
export const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

/** Fulcio's leaf lifetime. */
export const LEAF_LIFETIME_MS = 10 * 60 * 1000;
const CA_LIFETIME_MS = 10 * 365 * 24 * 60 * 60 * 1000;

export interface FulcioOptions {
  readonly seed: string;
  /** Distinguishes several CAs of one seed (e.g. "fulcio", "other-fulcio"). */
  readonly name: string;
  readonly uri: string;
  readonly organization: string;
  /** Start of the CA's validity. */
  readonly validFrom: Date;
  /** null: a private instance without certificate transparency. */
  readonly ctLog: CtLog | null;
}

export class FulcioCa {
  readonly uri: string;
  readonly rootSubject: DistinguishedName;
  readonly intermediateSubject: DistinguishedName;
  readonly rootCertificate: Buffer;
  readonly intermediateCertificate: Buffer;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly ctLog: CtLog | null;
  readonly #seed: string;
  readonly #name: string;
  readonly #intermediateKey: EcKey;
  #issued = 0;

  constructor(options: FulcioOptions) {
    this.#seed = options.seed;
    this.#name = options.name;
    this.uri = options.uri;
    this.ctLog = options.ctLog;
    this.validFrom = options.validFrom;
    this.validUntil = new Date(options.validFrom.getTime() + CA_LIFETIME_MS);
    this.rootSubject = { organization: options.organization, commonName: `${options.name}-root` };
    this.intermediateSubject = { organization: options.organization, commonName: `${options.name}-intermediate` };
    const rootKey = deriveEcKey(options.seed, `${options.name}:root`, 'P-384');
    this.#intermediateKey = deriveEcKey(options.seed, `${options.name}:intermediate`, 'P-384');
    const serials = Prng.for(options.seed, `sigstore:${options.name}:ca-serials`);
    this.rootCertificate = issueCertificate({
      serialNumber: serialNumber(serials.bytes(20)),
      issuer: distinguishedName(this.rootSubject),
      subject: distinguishedName(this.rootSubject),
      notBefore: this.validFrom,
      notAfter: this.validUntil,
      subjectSpki: rootKey.spki,
      extensions: [
        keyUsageExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
        basicConstraintsExtension(true, 1),
        subjectKeyIdentifierExtension(rootKey.spki),
      ],
      signer: rootKey,
    });
    this.intermediateCertificate = issueCertificate({
      serialNumber: serialNumber(serials.bytes(20)),
      issuer: distinguishedName(this.rootSubject),
      subject: distinguishedName(this.intermediateSubject),
      notBefore: this.validFrom,
      notAfter: this.validUntil,
      subjectSpki: this.#intermediateKey.spki,
      extensions: [
        keyUsageExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
        extendedKeyUsageExtension([id_kp_codeSigning], false),
        basicConstraintsExtension(true, 0),
        subjectKeyIdentifierExtension(this.#intermediateKey.spki),
        authorityKeyIdentifierExtension(rootKey.spki),
      ],
      signer: rootKey,
    });
  }

  /** The chain a verifier trusts, leaf-side first: [intermediate, root]. */
  get chain(): readonly Buffer[] {
    return [this.intermediateCertificate, this.rootCertificate];
  }

  /** A 10-minute code-signing certificate for `publicKeySpki`, valid from `at`. */
  issue(publicKeySpki: Uint8Array, signer: SignerIdentity, at: Date): Buffer {
    this.#issued += 1;
    const request: CertificateRequest = {
      serialNumber: serialNumber(Prng.for(this.#seed, `sigstore:${this.#name}:leaf-serial:${this.#issued}`).bytes(20)),
      issuer: distinguishedName(this.intermediateSubject),
      subject: distinguishedName(null),
      notBefore: at,
      notAfter: new Date(at.getTime() + LEAF_LIFETIME_MS),
      subjectSpki: publicKeySpki,
      extensions: [
        keyUsageExtension(KeyUsageFlags.digitalSignature),
        extendedKeyUsageExtension([id_kp_codeSigning], false),
        subjectKeyIdentifierExtension(publicKeySpki),
        authorityKeyIdentifierExtension(this.#intermediateKey.spki),
        subjectAlternativeNameExtension(signer.identity),
        extension(OID_FULCIO_ISSUER_V1, false, Buffer.from(signer.issuer, 'utf8')),
        extension(OID_FULCIO_ISSUER_V2, false, utf8StringDer(signer.issuer)),
      ],
      signer: this.#intermediateKey,
    };
    if (this.ctLog === null) return issueCertificate(request);
    // RFC 6962 3.1: the SCT signs the certificate as it will be issued, less the SCT list itself.
    const precertificateTbs = new Uint8Array(AsnConvert.serialize(tbsCertificate(request)));
    const sct = this.ctLog.signedCertificateTimestamp(precertificateTbs, this.#intermediateKey.spki, at);
    return issueCertificate({ ...request, extensions: [...request.extensions, sctListExtension([sct])] });
  }
}
