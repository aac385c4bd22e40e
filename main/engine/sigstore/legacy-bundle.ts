// cosign's legacy blob bundle (`cosign sign-blob --bundle` before the Sigstore bundle format):
//   { base64Signature, cert?, rekorBundle: { SignedEntryTimestamp, Payload: { body, integratedTime,
//     logIndex, logID } }, RFC3161Timestamp?: { SignedRFC3161Timestamp } }
// converted into the Sigstore bundle v0.1 JSON that @sigstore/verify takes. The SET signs exactly the
// Payload fields, so the conversion carries them over unchanged and the library verifies them as usual.

import { X509Certificate as NodeX509 } from 'node:crypto';
import { BUNDLE_V01_MEDIA_TYPE } from '@sigstore/bundle';
import { parseStrictJson } from '../json/strict-json.js';
import { decodeBase64Strict } from './base64.js';
import { SigstoreBundleError, messageOf } from './errors.js';
import { asObject, optionalObject, requiredField, requiredInt64, requiredObject, requiredString, ShapeError, type JsonObject } from './json-fields.js';

/** A legacy cosign bundle is recognised by its top-level base64Signature field. */
export function isLegacyCosignBundle(json: unknown): json is JsonObject {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && Object.hasOwn(json, 'base64Signature');
}

/** Returns serialized Sigstore bundle v0.1 JSON; throws SigstoreBundleError for anything it cannot carry over. */
export function legacyCosignBundleToV01(json: JsonObject): JsonObject {
  try {
    return convert(json);
  } catch (error) {
    if (error instanceof SigstoreBundleError) throw error;
    throw new SigstoreBundleError('BUNDLE_MALFORMED', `legacy cosign bundle: ${messageOf(error)}`);
  }
}

function convert(json: JsonObject): JsonObject {
  const signatureText = requiredString(json, 'base64Signature', 'bundle');
  if (decodeBase64Strict(signatureText) === null) throw new ShapeError('base64Signature is not valid base64 (truncated or damaged)');
  const certificateDer = Object.hasOwn(json, 'cert') && json['cert'] !== '' ? legacyCertificate(json['cert']) : null;
  // Without the Rekor bundle there is no digest to bind and no offline proof of logging: nothing to verify.
  const rekorBundle = requiredObject(json, 'rekorBundle', 'bundle');
  const set = requiredString(rekorBundle, 'SignedEntryTimestamp', 'rekorBundle');
  if (decodeBase64Strict(set) === null) throw new ShapeError('rekorBundle.SignedEntryTimestamp is not valid base64');
  const payload = requiredObject(rekorBundle, 'Payload', 'rekorBundle');
  const bodyText = requiredString(payload, 'body', 'rekorBundle.Payload');
  const bodyBytes = decodeBase64Strict(bodyText);
  if (bodyBytes === null) throw new ShapeError('rekorBundle.Payload.body is not valid base64');
  const logIdHex = requiredString(payload, 'logID', 'rekorBundle.Payload');
  if (!/^[0-9a-f]{64}$/.test(logIdHex)) throw new ShapeError('rekorBundle.Payload.logID must be 64 lowercase hex digits');
  const body = asObject(parseStrictJson(bodyBytes), 'rekorBundle.Payload.body');
  const kind = requiredString(body, 'kind', 'Rekor entry');
  const apiVersion = requiredString(body, 'apiVersion', 'Rekor entry');
  // Only hashedrekord binds the blob's digest; an attestation's legacy bundle lacks the envelope it logged.
  if (kind !== 'hashedrekord' || apiVersion !== '0.0.1') {
    throw new SigstoreBundleError('BUNDLE_UNSUPPORTED', `legacy cosign bundle logs a ${kind} ${apiVersion} entry; only hashedrekord 0.0.1 (blob signatures) can be converted`);
  }
  const spec = requiredObject(body, 'spec', 'Rekor entry');
  const hash = requiredObject(requiredObject(spec, 'data', 'spec'), 'hash', 'spec.data');
  if (requiredString(hash, 'algorithm', 'spec.data.hash') !== 'sha256') throw new ShapeError('Rekor entry hash algorithm must be sha256');
  const digestHex = requiredString(hash, 'value', 'spec.data.hash');
  if (!/^[0-9a-f]{64}$/.test(digestHex)) throw new ShapeError('Rekor entry hash value must be 64 lowercase hex digits');
  const loggedSignature = requiredString(requiredObject(spec, 'signature', 'spec'), 'content', 'spec.signature');
  if (loggedSignature !== signatureText) throw new SigstoreBundleError('TLOG_INVALID', 'the Rekor entry logs another signature than base64Signature');
  const timestamp = optionalObject(json, 'RFC3161Timestamp', 'bundle');
  const rfc3161 = timestamp === null ? [] : [{ signedTimestamp: timestampBytes(timestamp) }];
  return {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: {
      ...(certificateDer === null
        ? { publicKey: { hint: '' } } // key-signed: the verifier supplies the key, a hint adds nothing
        : { x509CertificateChain: { certificates: [{ rawBytes: certificateDer.toString('base64') }] } }),
      tlogEntries: [
        {
          logIndex: requiredInt64(payload, 'logIndex', 'rekorBundle.Payload'),
          logId: { keyId: Buffer.from(logIdHex, 'hex').toString('base64') },
          kindVersion: { kind, version: apiVersion },
          integratedTime: requiredInt64(payload, 'integratedTime', 'rekorBundle.Payload'),
          inclusionPromise: { signedEntryTimestamp: set },
          canonicalizedBody: bodyText,
        },
      ],
      timestampVerificationData: { rfc3161Timestamps: rfc3161 },
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(digestHex, 'hex').toString('base64') },
      signature: signatureText,
    },
  };
}

/** cosign writes `cert` as base64 of the PEM text; a bare PEM is accepted too. Returns DER. */
function legacyCertificate(value: unknown): Buffer {
  if (typeof value !== 'string') throw new ShapeError('cert must be a string');
  let pem = value;
  if (!value.startsWith('-----BEGIN')) {
    const decoded = decodeBase64Strict(value);
    if (decoded === null) throw new ShapeError('cert is neither PEM nor valid base64 of PEM');
    pem = decoded.toString('utf8');
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) throw new ShapeError(`cert must hold exactly one PEM certificate, found ${blocks.length}`);
  try {
    return new NodeX509(pem).raw;
  } catch (error) {
    throw new ShapeError(`cert is not a valid certificate (${messageOf(error)})`);
  }
}

function timestampBytes(timestamp: JsonObject): string {
  const text = requiredField(timestamp, 'SignedRFC3161Timestamp', 'RFC3161Timestamp');
  if (typeof text !== 'string' || decodeBase64Strict(text) === null) throw new ShapeError('RFC3161Timestamp.SignedRFC3161Timestamp is not valid base64');
  return text;
}
