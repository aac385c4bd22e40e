// A Rekor-like transparency log (Rekor v1 API semantics): entries are canonicalised JSON bodies
// (hashedrekord 0.0.1, dsse 0.0.1), leaves of one RFC 6962 Merkle tree; each entry comes back with a
// signed entry timestamp (SET: the log key's signature over the canonical JSON of body, integratedTime,
// logID, logIndex) and an inclusion proof against a signed checkpoint (C2SP signed note: origin, size,
// root hash, then an em-dash line with the key hint and signature). The log id is sha256 of the log key's
// SubjectPublicKeyInfo, and the note's key hint its first four bytes, as in Rekor.

import { createHash } from 'node:crypto';
import { json } from '@sigstore/core';
import type { EcKey } from './ec-key.js';
import { inclusionPath, leafHash, treeHash } from './merkle.js';

export interface InclusionProof {
  readonly logIndex: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly hashes: readonly Buffer[];
  /** The signed note of the tree head the proof leads to. */
  readonly checkpoint: string;
}

export interface LogEntry {
  readonly kind: string;
  readonly version: string;
  readonly logIndex: number;
  readonly logId: Buffer;
  /** Unix seconds. */
  readonly integratedTime: number;
  readonly canonicalizedBody: Buffer;
  readonly signedEntryTimestamp: Buffer;
  readonly inclusionProof: InclusionProof;
}

export class RekorLog {
  readonly key: EcKey;
  readonly baseUrl: string;
  readonly logId: Buffer;
  /** The tree (shard) id in the checkpoint origin line. */
  readonly treeId: bigint;
  readonly #leaves: Buffer[] = [];
  readonly #bodies: Buffer[] = [];

  constructor(key: EcKey, baseUrl: string, treeId: bigint) {
    this.key = key;
    this.baseUrl = baseUrl;
    this.treeId = treeId;
    this.logId = createHash('sha256').update(key.spki).digest();
  }

  /** The signer name of checkpoints: the log's host (verifiers match it against the trusted root's baseUrl). */
  get host(): string {
    return new URL(this.baseUrl).host;
  }

  get origin(): string {
    return `${this.host} - ${this.treeId}`;
  }

  get size(): number {
    return this.#leaves.length;
  }

  /** Integrates a proposed entry: canonicalises the body, appends the leaf, signs a SET and the new tree head. */
  append(body: { readonly kind: string; readonly apiVersion: string; readonly spec: unknown }, at: Date): LogEntry {
    const canonicalizedBody = Buffer.from(json.canonicalize(body), 'utf8');
    const logIndex = this.#leaves.length;
    this.#leaves.push(leafHash(canonicalizedBody));
    this.#bodies.push(canonicalizedBody);
    const integratedTime = Math.floor(at.getTime() / 1000);
    return {
      kind: body.kind,
      version: body.apiVersion,
      logIndex,
      logId: this.logId,
      integratedTime,
      canonicalizedBody,
      signedEntryTimestamp: this.signedEntryTimestamp(canonicalizedBody, integratedTime, logIndex),
      inclusionProof: this.inclusionProof(logIndex, this.#leaves.length),
    };
  }

  /** The SET Rekor returns as verification.signedEntryTimestamp. */
  signedEntryTimestamp(canonicalizedBody: Buffer, integratedTime: number, logIndex: number): Buffer {
    const payload = { body: canonicalizedBody.toString('base64'), integratedTime, logID: this.logId.toString('hex'), logIndex };
    return this.key.sign(Buffer.from(json.canonicalize(payload), 'utf8'));
  }

  /** Proof that entry `logIndex` is in the tree of the first `treeSize` entries, with that tree's checkpoint. */
  inclusionProof(logIndex: number, treeSize: number = this.size): InclusionProof {
    if (treeSize > this.size) throw new RangeError(`the log has ${this.size} entries, not ${treeSize}`);
    const leaves = this.#leaves.slice(0, treeSize);
    const rootHash = treeHash(leaves);
    return { logIndex, treeSize, rootHash, hashes: inclusionPath(logIndex, leaves), checkpoint: this.checkpoint(treeSize, rootHash) };
  }

  /** The signed note of the tree head of size `treeSize`. */
  checkpoint(treeSize: number, rootHash: Buffer = treeHash(this.#leaves.slice(0, treeSize))): string {
    const note = `${this.origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;
    const signature = Buffer.concat([this.logId.subarray(0, 4), this.key.sign(Buffer.from(note, 'utf8'))]);
    return `${note}\n\u2014 ${this.host} ${signature.toString('base64')}\n`;
  }
}

/** hashedrekord 0.0.1: the sha256 of the artefact, the signature, and the signer's certificate or public key (PEM, base64). */
export function hashedRekordBody(artifactSha256: Buffer, signature: Buffer, verifierPem: string): { kind: string; apiVersion: string; spec: unknown } {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: artifactSha256.toString('hex') } },
      signature: { content: signature.toString('base64'), publicKey: { content: Buffer.from(verifierPem, 'utf8').toString('base64') } },
    },
  };
}

/**
 * dsse 0.0.1: hashes of the envelope and of its payload, and each signature with its verifier (PEM,
 * base64). Rekor hashes the envelope's JSON text as submitted.
 */
export function dsseBody(envelopeJson: string, payload: Buffer, signature: Buffer, certificatePem: string): { kind: string; apiVersion: string; spec: unknown } {
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(envelopeJson, 'utf8').digest('hex') },
      payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') },
      signatures: [{ signature: signature.toString('base64'), verifier: Buffer.from(certificatePem, 'utf8').toString('base64') }],
    },
  };
}
