// RFC 6962 (RFC 9162 2.1) Merkle tree hashing over a log's leaves: tree heads and inclusion proofs, in
// the audit-path order verifiers expect (the sibling nearest the leaf first).

import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes; the empty tree hashes to sha256(""). */
export function treeHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

/** PATH(m, D[n]): the audit path of leaf `index` in the tree of these leaf hashes. */
export function inclusionPath(index: number, leaves: readonly Buffer[]): Buffer[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  if (index < k) return [...inclusionPath(index, leaves.slice(0, k)), treeHash(leaves.slice(k))];
  return [...inclusionPath(index - k, leaves.slice(k)), treeHash(leaves.slice(0, k))];
}
