// Which key a transparency log entry recorded as the signer's. @sigstore/verify matches an entry to the
// bundle by signature bytes and digest only, never by the verifier the log recorded; since an ECDSA
// signature can be made to verify under a key chosen after the fact, an entry logged for one key could
// vouch for a certificate that was never logged. Assay requires the logged key to be the signer's key.

import { createPublicKey, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { parseStrictJson } from '../json/strict-json.js';
import { decodeBase64Strict } from './base64.js';
import { asObject, repeated, requiredObject, requiredString, ShapeError, type JsonObject } from './json-fields.js';

/** SPKI DER of every verifier the entry's canonicalized body records; throws ShapeError if unreadable. */
export function loggedVerifierKeys(kind: string, version: string, canonicalizedBody: Buffer): Buffer[] {
  const body = asObject(parseStrictJson(canonicalizedBody), 'log entry body');
  const spec = requiredObject(body, 'spec', 'log entry body');
  switch (`${kind} ${version}`) {
    case 'hashedrekord 0.0.1':
      return [pemKey(requiredString(requiredObject(requiredObject(spec, 'signature', 'spec'), 'publicKey', 'spec.signature'), 'content', 'spec.signature.publicKey'))];
    case 'dsse 0.0.1':
      return repeated(spec, 'signatures', 'spec').map((s) => pemKey(requiredString(asObject(s, 'signature'), 'verifier', 'spec.signatures[]')));
    case 'intoto 0.0.1':
      return [pemKey(requiredString(spec, 'publicKey', 'spec'))];
    case 'intoto 0.0.2': {
      const envelope = requiredObject(requiredObject(spec, 'content', 'spec'), 'envelope', 'spec.content');
      return repeated(envelope, 'signatures', 'envelope').map((s) => pemKey(requiredString(asObject(s, 'signature'), 'publicKey', 'envelope.signatures[]')));
    }
    case 'hashedrekord 0.0.2':
      return [v2Verifier(requiredObject(requiredObject(requiredObject(spec, 'hashedRekordV002', 'spec'), 'signature', 'hashedRekordV002'), 'verifier', 'signature'))];
    case 'dsse 0.0.2':
      return repeated(requiredObject(spec, 'dsseV002', 'spec'), 'signatures', 'dsseV002').map((s) => v2Verifier(requiredObject(asObject(s, 'signature'), 'verifier', 'signatures[]')));
    default:
      throw new ShapeError(`log entries of kind ${kind} ${version} are not supported`);
  }
}

export function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** Rekor v1 stores base64 of a PEM certificate or public key. */
function pemKey(base64Pem: string): Buffer {
  const pem = decodeBase64Strict(base64Pem)?.toString('utf8');
  if (pem === undefined) throw new ShapeError('logged verifier is not valid base64');
  if (pem.includes('-----BEGIN CERTIFICATE-----')) return spkiOf(new NodeX509(pem).publicKey);
  return spkiOf(createPublicKey({ key: pem, format: 'pem' }));
}

/** Rekor v2 stores DER: an X.509 certificate or a public key. */
function v2Verifier(verifier: JsonObject): Buffer {
  if (verifier['x509Certificate'] !== undefined) {
    const der = decodeBase64Strict(requiredString(requiredObject(verifier, 'x509Certificate', 'verifier'), 'rawBytes', 'verifier.x509Certificate'));
    if (der === null) throw new ShapeError('logged certificate is not valid base64');
    return spkiOf(new NodeX509(der).publicKey);
  }
  const der = decodeBase64Strict(requiredString(requiredObject(verifier, 'publicKey', 'verifier'), 'rawBytes', 'verifier.publicKey'));
  if (der === null) throw new ShapeError('logged public key is not valid base64');
  return spkiOf(createPublicKey({ key: der, format: 'der', type: 'spki' }));
}
