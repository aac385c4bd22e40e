// `createTestInstance`: the sample generator's own Sigstore instance (a Fulcio-like CA, optionally with a
// CT log, a Rekor-like log and an RFC 3161 timestamp authority) and the keyless signing flow cosign runs
// against it: an ephemeral P-256 key, a 10-minute certificate for the signer's identity, the signature,
// a log entry (SET, inclusion proof, checkpoint) and a timestamp over the signature, returned as a
// Sigstore bundle v0.3. Deterministic: keys come from the seed, signatures are RFC 6979, times from the
// options, so the same seed and calls give the same bytes.

import { createHash } from 'node:crypto';
import { assertBundle, bundleFromJSON, bundleToJSON, BUNDLE_V03_MEDIA_TYPE, type Bundle, type SerializedBundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { Prng } from '../prng.js';
import { CtLog } from './ct-log.js';
import { deriveEcKey } from './ec-key.js';
import { FulcioCa, type SignerIdentity } from './fulcio.js';
import { dsseBody, hashedRekordBody, RekorLog, type LogEntry } from './rekor.js';
import { trustedRootDocument, type TrustedRootDocument } from './trusted-root.js';
import { TimestampAuthority } from './tsa.js';
import { toPem } from './x509.js';

export type { SignerIdentity } from './fulcio.js';

export interface TestInstanceOptions {
  /** With a CT log: certificates carry an SCT and the trusted root lists the log. Without: a private instance. */
  readonly withCtLog?: boolean;
  /** The instance's start: every authority is valid from it, and signing happens at it unless told otherwise. */
  readonly now: Date;
  /** Host names are `<service>.<domain>`; default "sigstore.test" (a reserved name, RFC 2606). */
  readonly domain?: string;
  /**
   * Entries other tenants logged before the instance's first signature (default 2), so that no entry of
   * ours sits at index 0: proto3 JSON omits a zero index, and a shared log is never empty anyway.
   */
  readonly priorEntries?: number;
}

export const DEFAULT_PRIOR_ENTRIES = 2;

export interface SignOptions {
  /** When the certificate is issued and the signature made; default the instance's `now`. */
  readonly at?: Date;
  /** When the log integrates the entry and the TSA stamps it; default `at` (later than 10 minutes: an expired certificate). */
  readonly loggedAt?: Date;
  /** Issue the certificate from this CA instead of the instance's own (another instance's `ca`, for tampered samples). */
  readonly certificateAuthority?: FulcioCa;
}

/** One keyless signature with every piece of its evidence, for writers that lay them out otherwise (cosign's OCI annotations). */
export interface SigstoreSignature {
  readonly bundle: SerializedBundle;
  /** DER leaf certificate. */
  readonly certificate: Buffer;
  /** DER certificates from the leaf's issuer to the root. */
  readonly chain: readonly Buffer[];
  /** The DER ECDSA signature (over the artefact, or over the DSSE PAE). */
  readonly signature: Buffer;
  readonly tlogEntry: LogEntry;
  /** DER RFC 3161 TimeStampResp over the signature bytes. */
  readonly rfc3161Timestamp: Buffer;
  /** The DSSE envelope as JSON text, exactly the bytes the log entry's envelopeHash covers; null for message signatures. */
  readonly envelopeJson: string | null;
}

export class TestSigstoreInstance {
  readonly seed: string;
  readonly now: Date;
  readonly ca: FulcioCa;
  readonly ctLog: CtLog | null;
  readonly rekor: RekorLog;
  readonly tsa: TimestampAuthority;
  #signatures = 0;

  constructor(seed: string, options: TestInstanceOptions) {
    const domain = options.domain ?? 'sigstore.test';
    this.seed = seed;
    this.now = options.now;
    this.ctLog = options.withCtLog === true ? new CtLog(deriveEcKey(seed, 'ctlog', 'P-256'), `https://ctfe.${domain}`) : null;
    this.ca = new FulcioCa({ seed, name: 'fulcio', uri: `https://fulcio.${domain}`, organization: domain, validFrom: options.now, ctLog: this.ctLog });
    // Rekor tree ids are positive int64s.
    const treeId = Prng.for(seed, 'sigstore:rekor:tree-id').bytes(8).readBigUInt64BE() >> 1n;
    this.rekor = new RekorLog(deriveEcKey(seed, 'rekor', 'P-256'), `https://rekor.${domain}`, treeId);
    const priorEntries = options.priorEntries ?? DEFAULT_PRIOR_ENTRIES;
    for (let i = 0; i < priorEntries; i += 1) this.#logOtherTenant(i);
    this.tsa = new TimestampAuthority({ seed, name: 'tsa', uri: `https://tsa.${domain}/api/v1/timestamp`, organization: domain, validFrom: options.now });
  }

  /** Signs the artefact's bytes (hashedrekord 0.0.1 entry); a v0.3 bundle with a message signature. */
  signMessage(artifact: Buffer, signer: SignerIdentity, options: SignOptions = {}): SerializedBundle {
    return this.signMessageDetailed(artifact, signer, options).bundle;
  }

  /** Signs a DSSE envelope of the payload (dsse 0.0.1 entry); a v0.3 bundle with the envelope. */
  signDsse(payloadType: string, payload: Buffer, signer: SignerIdentity, options: SignOptions = {}): SerializedBundle {
    return this.signDsseDetailed(payloadType, payload, signer, options).bundle;
  }

  signMessageDetailed(artifact: Buffer, signer: SignerIdentity, options: SignOptions = {}): SigstoreSignature {
    const digest = createHash('sha256').update(artifact).digest();
    return this.#sign(signer, options, (key) => key.signDigest(digest), (signature, certificatePem) => hashedRekordBody(digest, signature, certificatePem), (signature) => ({
      content: { $case: 'messageSignature', messageSignature: { messageDigest: { algorithm: HashAlgorithm.SHA2_256, digest }, signature } },
      envelopeJson: null,
    }));
  }

  signDsseDetailed(payloadType: string, payload: Buffer, signer: SignerIdentity, options: SignOptions = {}): SigstoreSignature {
    // The envelope as cosign serialises it (Go field order, empty keyid kept); Rekor hashes these bytes.
    const envelopeJson = (signature: Buffer) =>
      JSON.stringify({ payloadType, payload: payload.toString('base64'), signatures: [{ keyid: '', sig: signature.toString('base64') }] });
    return this.#sign(
      signer,
      options,
      (key) => key.sign(dsse.preAuthEncoding(payloadType, payload)),
      (signature, certificatePem) => dsseBody(envelopeJson(signature), payload, signature, certificatePem),
      (signature) => ({
        content: { $case: 'dsseEnvelope', dsseEnvelope: { payloadType, payload, signatures: [{ sig: signature, keyid: '' }] } },
        envelopeJson: envelopeJson(signature),
      }),
    );
  }

  /** The trusted root describing this instance, as a document. */
  trustedRoot(): TrustedRootDocument {
    return trustedRootDocument({ ca: this.ca, rekor: this.rekor, ctLog: this.ctLog, tsa: this.tsa, validFrom: this.now });
  }

  /** trusted_root.json, as written to a trust store. */
  trustedRootJson(): string {
    return `${JSON.stringify(this.trustedRoot(), null, 2)}\n`;
  }

  /** A key-signed hashedrekord entry of someone else's artefact, logged at the instance's start. */
  #logOtherTenant(index: number): void {
    const key = deriveEcKey(this.seed, `other-tenant:${index}`, 'P-256');
    const digest = createHash('sha256').update(Prng.for(this.seed, `sigstore:other-tenant:${index}`).bytes(64)).digest();
    const body = hashedRekordBody(digest, key.signDigest(digest), key.publicKeyPem);
    this.rekor.append(body, this.now);
  }

  #sign(
    signer: SignerIdentity,
    options: SignOptions,
    sign: (key: ReturnType<typeof deriveEcKey>) => Buffer,
    logBody: (signature: Buffer, certificatePem: string) => Parameters<RekorLog['append']>[0],
    content: (signature: Buffer) => { content: Bundle['content']; envelopeJson: string | null },
  ): SigstoreSignature {
    const at = options.at ?? this.now;
    const loggedAt = options.loggedAt ?? at;
    const ca = options.certificateAuthority ?? this.ca;
    this.#signatures += 1;
    // cosign's keyless flow: a fresh key per signature, certified for ten minutes, then thrown away.
    const ephemeral = deriveEcKey(this.seed, `ephemeral:${this.#signatures}`, 'P-256');
    const certificate = ca.issue(ephemeral.spki, signer, at);
    const signature = sign(ephemeral);
    const tlogEntry = this.rekor.append(logBody(signature, toPem(certificate)), loggedAt);
    const rfc3161Timestamp = this.tsa.timestamp(signature, loggedAt);
    const built = content(signature);
    const bundle: Bundle = {
      mediaType: BUNDLE_V03_MEDIA_TYPE,
      verificationMaterial: {
        content: { $case: 'certificate', certificate: { rawBytes: certificate } },
        tlogEntries: [
          {
            logIndex: String(tlogEntry.logIndex),
            logId: { keyId: tlogEntry.logId },
            kindVersion: { kind: tlogEntry.kind, version: tlogEntry.version },
            integratedTime: String(tlogEntry.integratedTime),
            inclusionPromise: { signedEntryTimestamp: tlogEntry.signedEntryTimestamp },
            inclusionProof: {
              logIndex: String(tlogEntry.inclusionProof.logIndex),
              rootHash: tlogEntry.inclusionProof.rootHash,
              treeSize: String(tlogEntry.inclusionProof.treeSize),
              hashes: [...tlogEntry.inclusionProof.hashes],
              checkpoint: { envelope: tlogEntry.inclusionProof.checkpoint },
            },
            canonicalizedBody: tlogEntry.canonicalizedBody,
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: rfc3161Timestamp }] },
      },
      content: built.content,
    };
    assertBundle(bundle);
    const serialized = bundleToJSON(bundle);
    assertBundle(bundleFromJSON(serialized)); // the round trip a verifier makes must succeed
    return { bundle: serialized, certificate, chain: ca.chain, signature, tlogEntry, rfc3161Timestamp, envelopeJson: built.envelopeJson };
  }
}

export function createTestInstance(seed: string, options: TestInstanceOptions): TestSigstoreInstance {
  return new TestSigstoreInstance(seed, options);
}
