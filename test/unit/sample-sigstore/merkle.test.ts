import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inclusionPath, leafHash, treeHash } from '../../../main/engine/sample/sigstore/merkle.js';

/** RFC 9162 2.1.3.2, written from the RFC's iterative procedure (not the recursive one the log uses). */
function verifyInclusion(index: number, size: number, leaf: Buffer, path: readonly Buffer[], root: Buffer): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  const node = (l: Buffer, rr: Buffer) => createHash('sha256').update(Buffer.from([1])).update(l).update(rr).digest();
  for (const p of path) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = node(p, r);
      while ((fn & 1) === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

describe('RFC 6962 Merkle tree of the test log', () => {
  it('proves every leaf of every tree up to 40 leaves, checked by the RFC 9162 iterative verifier', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    for (let size = 1; size <= leaves.length; size += 1) {
      const tree = leaves.slice(0, size);
      const root = treeHash(tree);
      for (let index = 0; index < size; index += 1) {
        assert.ok(verifyInclusion(index, size, tree[index]!, inclusionPath(index, tree), root), `leaf ${index} of ${size}`);
        if (size > 1) assert.ok(!verifyInclusion(index, size, leafHash(Buffer.from('other')), inclusionPath(index, tree), root));
      }
    }
  });

  it('hashes the RFC 6962 test vectors: the empty tree and one leaf', () => {
    assert.equal(treeHash([]).toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(treeHash([leafHash(Buffer.alloc(0))]).toString('hex'), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });
});
