// An RFC 3161 timestamp authority: a root (P-384) and a timestamping certificate (P-256, critical EKU
// id-kp-timeStamping, as RFC 3161 2.3 requires), issuing TimeStampResp tokens: CMS SignedData over a
// TSTInfo, signed attributes content type, signing time, message digest and the ESS signing-certificate-v2
// attribute (RFC 5816) naming the TSA certificate, which is also included in the token. Sigstore bundles
// carry the whole DER TimeStampResp; the message imprint is sha256 of the signature bytes.

import { createHash } from 'node:crypto';
import { AsnArray, AsnConvert, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  id_contentType,
  id_messageDigest,
  id_signedData,
  id_signingTime,
  IssuerAndSerialNumber,
  MessageDigest,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  SigningTime,
} from '@peculiar/asn1-cms';
import { Accuracy, id_ct_tstInfo, MessageImprint, PKIStatus, PKIStatusInfo, TimeStampResp, TimeStampToken, TSTInfo } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier, Certificate, GeneralName, GeneralNames, id_kp_timeStamping } from '@peculiar/asn1-x509';
import { Prng } from '../prng.js';
import { deriveEcKey, type EcKey } from './ec-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  issueCertificate,
  keyUsageExtension,
  KeyUsageFlags,
  serialNumber,
  subjectKeyIdentifierExtension,
  toArrayBuffer,
  type DistinguishedName,
} from './x509.js';

const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
/** The TSA policy Sigstore's timestamp authority issues under. */
export const TSA_POLICY_OID = '1.3.6.1.4.1.57264.2';
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const CA_LIFETIME_MS = 10 * 365 * 24 * 60 * 60 * 1000;

// RFC 5035 ESS structures, which no @peculiar package declares; declared here with asn1-schema's own
// decorators (applied as functions, so no compiler decorator support is needed).

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber } */
class IssuerSerial {
  issuer = new GeneralNames();
  serialNumber = new ArrayBuffer(0);
  constructor(params: Partial<IssuerSerial> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: GeneralNames })(IssuerSerial.prototype, 'issuer');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(IssuerSerial.prototype, 'serialNumber');

/** ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256 (omitted), certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL } */
class EssCertIdV2 {
  certHash = new OctetString();
  issuerSerial?: IssuerSerial;
  constructor(params: Partial<EssCertIdV2> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: OctetString })(EssCertIdV2.prototype, 'certHash');
AsnProp({ type: IssuerSerial, optional: true })(EssCertIdV2.prototype, 'issuerSerial');

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (no policies) */
class SigningCertificateV2 {
  certs: EssCertIdV2[] = [];
  constructor(params: Partial<SigningCertificateV2> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: EssCertIdV2, repeated: 'sequence' })(SigningCertificateV2.prototype, 'certs');

/** A bare OBJECT IDENTIFIER value (a one-alternative CHOICE encodes as the alternative itself). */
class ObjectIdentifierValue {
  value: string;
  constructor(value = '') {
    this.value = value;
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(ObjectIdentifierValue.prototype, 'value');
AsnType({ type: AsnTypeTypes.Choice })(ObjectIdentifierValue);

/** SignedAttributes as the signature covers them: a SET OF Attribute (RFC 5652 5.4). */
class SignedAttributes extends AsnArray<Attribute> {}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(SignedAttributes);

export interface TimestampAuthorityOptions {
  readonly seed: string;
  readonly name: string;
  readonly uri: string;
  readonly organization: string;
  readonly validFrom: Date;
}

export class TimestampAuthority {
  readonly uri: string;
  readonly subject: DistinguishedName;
  readonly rootCertificate: Buffer;
  readonly signingCertificate: Buffer;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly #seed: string;
  readonly #name: string;
  readonly #key: EcKey;
  #issued = 0;

  constructor(options: TimestampAuthorityOptions) {
    this.#seed = options.seed;
    this.#name = options.name;
    this.uri = options.uri;
    this.validFrom = options.validFrom;
    this.validUntil = new Date(options.validFrom.getTime() + CA_LIFETIME_MS);
    const rootSubject = { organization: options.organization, commonName: `${options.name}-root` };
    this.subject = { organization: options.organization, commonName: `${options.name}-signer` };
    const rootKey = deriveEcKey(options.seed, `${options.name}:root`, 'P-384');
    this.#key = deriveEcKey(options.seed, `${options.name}:signer`, 'P-256');
    const serials = Prng.for(options.seed, `sigstore:${options.name}:ca-serials`);
    this.rootCertificate = issueCertificate({
      serialNumber: serialNumber(serials.bytes(20)),
      issuer: distinguishedName(rootSubject),
      subject: distinguishedName(rootSubject),
      notBefore: this.validFrom,
      notAfter: this.validUntil,
      subjectSpki: rootKey.spki,
      extensions: [keyUsageExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign), basicConstraintsExtension(true, 0), subjectKeyIdentifierExtension(rootKey.spki)],
      signer: rootKey,
    });
    this.signingCertificate = issueCertificate({
      serialNumber: serialNumber(serials.bytes(20)),
      issuer: distinguishedName(rootSubject),
      subject: distinguishedName(this.subject),
      notBefore: this.validFrom,
      notAfter: this.validUntil,
      subjectSpki: this.#key.spki,
      extensions: [
        keyUsageExtension(KeyUsageFlags.digitalSignature),
        extendedKeyUsageExtension([id_kp_timeStamping], true),
        basicConstraintsExtension(false),
        subjectKeyIdentifierExtension(this.#key.spki),
        authorityKeyIdentifierExtension(rootKey.spki),
      ],
      signer: rootKey,
    });
  }

  /** The chain a verifier trusts: [TSA signing certificate, root] (the signer first, as Sigstore requires). */
  get chain(): readonly Buffer[] {
    return [this.signingCertificate, this.rootCertificate];
  }

  /** DER TimeStampResp (status granted) stamping sha256(`data`) at `at`. */
  timestamp(data: Uint8Array, at: Date): Buffer {
    this.#issued += 1;
    const tstInfo = new TSTInfo({
      policy: TSA_POLICY_OID,
      messageImprint: new MessageImprint({
        hashAlgorithm: new AlgorithmIdentifier({ algorithm: OID_SHA256 }),
        hashedMessage: new OctetString(createHash('sha256').update(data).digest()),
      }),
      serialNumber: toArrayBuffer(serialNumber(Prng.for(this.#seed, `sigstore:${this.#name}:token-serial:${this.#issued}`).bytes(16))),
      genTime: at,
      accuracy: new Accuracy({ seconds: 1 }),
    });
    const tstInfoDer = AsnConvert.serialize(tstInfo);
    const signer = AsnConvert.parse(this.signingCertificate, Certificate);
    const essCertId = new EssCertIdV2({
      certHash: new OctetString(createHash('sha256').update(this.signingCertificate).digest()),
      issuerSerial: new IssuerSerial({
        issuer: new GeneralNames([new GeneralName({ directoryName: signer.tbsCertificate.issuer })]),
        serialNumber: signer.tbsCertificate.serialNumber,
      }),
    });
    const attributes = [
      new Attribute({ attrType: id_contentType, attrValues: [AsnConvert.serialize(new ObjectIdentifierValue(id_ct_tstInfo))] }),
      new Attribute({ attrType: id_signingTime, attrValues: [AsnConvert.serialize(new SigningTime(at))] }),
      new Attribute({ attrType: id_messageDigest, attrValues: [AsnConvert.serialize(new MessageDigest(createHash('sha256').update(Buffer.from(tstInfoDer)).digest()))] }),
      new Attribute({ attrType: OID_SIGNING_CERTIFICATE_V2, attrValues: [AsnConvert.serialize(new SigningCertificateV2({ certs: [essCertId] }))] }),
    ];
    // DER orders a SET OF by encoding; the signature covers the attributes as a SET.
    const sorted = attributes
      .map((attribute) => ({ attribute, der: Buffer.from(AsnConvert.serialize(attribute)) }))
      .sort((a, b) => Buffer.compare(a.der, b.der))
      .map((a) => a.attribute);
    const signedAttributesDer = AsnConvert.serialize(new SignedAttributes(sorted));
    const signerInfo = new SignerInfo({
      version: CMSVersion.v1,
      sid: new SignerIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: signer.tbsCertificate.issuer, serialNumber: signer.tbsCertificate.serialNumber }) }),
      digestAlgorithm: new DigestAlgorithmIdentifier({ algorithm: OID_SHA256 }),
      signedAttrs: sorted,
      signatureAlgorithm: new SignatureAlgorithmIdentifier({ algorithm: this.#key.signatureAlgorithmOid }),
      signature: new OctetString(this.#key.sign(new Uint8Array(signedAttributesDer))),
    });
    const signedData = new SignedData({
      version: CMSVersion.v3, // eContentType is not id-data (RFC 5652 5.1)
      digestAlgorithms: new DigestAlgorithmIdentifiers([new DigestAlgorithmIdentifier({ algorithm: OID_SHA256 })]),
      encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_ct_tstInfo, eContent: new EncapsulatedContent({ single: new OctetString(tstInfoDer) }) }),
      certificates: new CertificateSet([new CertificateChoices({ certificate: signer })]),
      signerInfos: new SignerInfos([signerInfo]),
    });
    const response = new TimeStampResp({
      status: new PKIStatusInfo({ status: PKIStatus.granted }),
      timeStampToken: new TimeStampToken({ contentType: id_signedData, content: AsnConvert.serialize(signedData) }),
    });
    return Buffer.from(AsnConvert.serialize(response));
  }
}
