// cosign's image signature and attestation layers (OCI, pre-bundle format) as Sigstore bundles that
// `verifyArtifact` takes. A signature layer carries the simple-signing payload as its bytes and the
// signature, the PEM leaf certificate and the legacy Rekor bundle as annotations: exactly cosign's legacy
// blob bundle, so it goes through the same conversion. An attestation layer is the DSSE envelope itself
// with the same annotations; the legacy form cannot hold an envelope, so it becomes a v0.1 bundle with
// the envelope and the logged entry (its SET is over the entry fields, which are carried over unchanged).
// The chain annotation is never used: the issuing CAs come from the assessor's trusted root.

import { BUNDLE_V01_MEDIA_TYPE } from '@sigstore/bundle';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { parseStrictJson } from '../json/strict-json.js';
import { decodeBase64Strict } from './base64.js';
import { messageOf, SigstoreBundleError } from './errors.js';
import { asObject, repeated, requiredInt64, requiredObject, requiredString, ShapeError, type JsonObject } from './json-fields.js';
import { fromSerialized, parseSignatureBundle, type LoadedBundle } from './load-bundle.js';

export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const COSIGN_CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const COSIGN_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const COSIGN_RFC3161_ANNOTATION = 'dev.sigstore.cosign/rfc3161timestamp';

type Annotations = Readonly<Record<string, string>>;

/** A simple-signing signature layer as a (converted) legacy cosign bundle; throws SigstoreBundleError. */
export function signatureLayerBundle(annotations: Annotations): LoadedBundle {
  const signature = annotations[COSIGN_SIGNATURE_ANNOTATION];
  if (signature === undefined || signature === '') throw new SigstoreBundleError('BUNDLE_MALFORMED', `the layer has no ${COSIGN_SIGNATURE_ANNOTATION} annotation`);
  const legacy: JsonObject = { base64Signature: signature, rekorBundle: rekorBundle(annotations) };
  const certificate = annotations[COSIGN_CERTIFICATE_ANNOTATION];
  if (certificate !== undefined && certificate !== '') legacy['cert'] = certificate;
  const timestamp = rfc3161(annotations);
  if (timestamp !== null) legacy['RFC3161Timestamp'] = { SignedRFC3161Timestamp: timestamp };
  return parseSignatureBundle(Buffer.from(JSON.stringify(legacy), 'utf8'));
}

/** A DSSE attestation layer (its bytes are the envelope) as a Sigstore bundle v0.1; throws SigstoreBundleError. */
export function attestationLayerBundle(envelopeBytes: Buffer, annotations: Annotations): LoadedBundle {
  try {
    const envelope = asObject(parseStrictJson(envelopeBytes), 'DSSE envelope');
    const payloadType = requiredString(envelope, 'payloadType', 'DSSE envelope');
    const payload = requiredString(envelope, 'payload', 'DSSE envelope');
    const signatures = repeated(envelope, 'signatures', 'DSSE envelope').map((s, i) => {
      const entry = asObject(s, `signatures[${i}]`);
      const keyid = typeof entry['keyid'] === 'string' ? entry['keyid'] : '';
      return { sig: requiredString(entry, 'sig', `signatures[${i}]`), keyid };
    });
    const certificatePem = annotations[COSIGN_CERTIFICATE_ANNOTATION];
    if (certificatePem === undefined || certificatePem === '') throw new ShapeError(`the layer has no ${COSIGN_CERTIFICATE_ANNOTATION} annotation (a key-signed attestation layer is not supported)`);
    const rekor = rekorBundle(annotations);
    const payloadFields = requiredObject(rekor, 'Payload', 'rekor bundle');
    const bodyText = requiredString(payloadFields, 'body', 'rekor bundle Payload');
    const body = asObject(parseStrictJson(decodeOrThrow(bodyText, 'rekor bundle Payload.body')), 'log entry body');
    const logIdHex = requiredString(payloadFields, 'logID', 'rekor bundle Payload');
    if (!/^[0-9a-f]{64}$/.test(logIdHex)) throw new ShapeError('rekor bundle Payload.logID must be 64 lowercase hex digits');
    const timestamp = rfc3161(annotations);
    const json = {
      mediaType: BUNDLE_V01_MEDIA_TYPE,
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: pemToDer(certificatePem).toString('base64') }] },
        tlogEntries: [
          {
            logIndex: requiredInt64(payloadFields, 'logIndex', 'rekor bundle Payload'),
            logId: { keyId: Buffer.from(logIdHex, 'hex').toString('base64') },
            kindVersion: { kind: requiredString(body, 'kind', 'log entry body'), version: requiredString(body, 'apiVersion', 'log entry body') },
            integratedTime: requiredInt64(payloadFields, 'integratedTime', 'rekor bundle Payload'),
            inclusionPromise: { signedEntryTimestamp: requiredString(rekor, 'SignedEntryTimestamp', 'rekor bundle') },
            canonicalizedBody: bodyText,
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: timestamp === null ? [] : [{ signedTimestamp: timestamp }] },
      },
      dsseEnvelope: { payload, payloadType, signatures },
    };
    return fromSerialized(json);
  } catch (error) {
    if (error instanceof SigstoreBundleError) throw error;
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `attestation layer: ${messageOf(error)}`);
  }
}

function rekorBundle(annotations: Annotations): JsonObject {
  const text = annotations[COSIGN_BUNDLE_ANNOTATION];
  if (text === undefined || text === '') throw new SigstoreBundleError('BUNDLE_MALFORMED', `the layer has no ${COSIGN_BUNDLE_ANNOTATION} annotation: nothing proves it was logged`);
  try {
    return asObject(parseStrictJson(text), COSIGN_BUNDLE_ANNOTATION);
  } catch (error) {
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `${COSIGN_BUNDLE_ANNOTATION} is not a JSON object: ${messageOf(error)}`);
  }
}

/** cosign stores `{"SignedRFC3161Timestamp": "<base64>"}`; returns the base64 or null. */
function rfc3161(annotations: Annotations): string | null {
  const text = annotations[COSIGN_RFC3161_ANNOTATION];
  if (text === undefined || text === '') return null;
  try {
    return requiredString(asObject(parseStrictJson(text), COSIGN_RFC3161_ANNOTATION), 'SignedRFC3161Timestamp', COSIGN_RFC3161_ANNOTATION);
  } catch (error) {
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `${COSIGN_RFC3161_ANNOTATION}: ${messageOf(error)}`);
  }
}

function decodeOrThrow(text: string, where: string): Buffer {
  const bytes = decodeBase64Strict(text);
  if (bytes === null) throw new ShapeError(`${where} is not valid base64`);
  return bytes;
}

function pemToDer(pem: string): Buffer {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) throw new ShapeError(`${COSIGN_CERTIFICATE_ANNOTATION} must hold exactly one PEM certificate, found ${blocks.length}`);
  try {
    return new NodeX509(pem).raw;
  } catch (error) {
    throw new ShapeError(`${COSIGN_CERTIFICATE_ANNOTATION} is not a valid certificate (${messageOf(error)})`);
  }
}
