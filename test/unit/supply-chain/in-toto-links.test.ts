// Interop: links written by Debian's in-toto-run (Python in-toto 1.x, securesystemslib keys) verify with
// Assay against the functionary's public key; tampered links do not.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { canonicalJson } from '../../../main/engine/formats/canonical-json.js';
import { parseLink, securesystemslibKeyIds, verifyLink } from '../../../main/engine/formats/in-toto-link.js';

const IN_TOTO_RUN = '/usr/bin/in-toto-run';
const PYTHON = '/usr/bin/python3';
const available = existsSync(IN_TOTO_RUN) && existsSync(PYTHON);
const skip = available ? false : 'Debian in-toto is not installed (apt-get install in-toto)';

let work: string;
let rsaLink: Buffer;
let ed25519Link: Buffer;
let rsaKey: KeyObject;
let edKey: KeyObject;

function run(tool: string, args: string[], cwd: string): void {
  execFileSync(PYTHON, [tool, ...args], { cwd, stdio: 'pipe' });
}

function linkFile(dir: string, step: string): Buffer {
  const name = readdirSync(dir).find((f) => f.startsWith(`${step}.`) && f.endsWith('.link'))!;
  return readFileSync(join(dir, name));
}

before(() => {
  if (!available) return;
  work = mkdtempSync(join(tmpdir(), 'assay-in-toto-'));
  writeFileSync(join(work, 'model.onnx'), 'weights');
  run('/usr/bin/in-toto-keygen', ['alice'], work);
  run('/usr/bin/in-toto-keygen', ['-t', 'ed25519', 'bob'], work);
  run(IN_TOTO_RUN, ['-n', 'train', '-k', 'alice', '-m', 'model.onnx', '-p', 'model.onnx', '--', '/bin/true'], work);
  run(IN_TOTO_RUN, ['-n', 'package', '-k', 'bob', '-t', 'ed25519', '-p', 'model.onnx', '--', '/bin/echo', 'packaged'], work);
  rsaLink = linkFile(work, 'train');
  ed25519Link = linkFile(work, 'package');
  rsaKey = createPublicKey(readFileSync(join(work, 'alice.pub'), 'utf8'));
  const bob = JSON.parse(readFileSync(join(work, 'bob.pub'), 'utf8')) as { keyval: { public: string } };
  edKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bob.keyval.public, 'hex').toString('base64url') }, format: 'jwk' });
});
after(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

test('canonical JSON matches securesystemslib', () => {
  assert.equal(canonicalJson({ b: [1, true, null], a: 'q"\\\n', é: {} }).toString(), '{"a":"q\\"\\\\\n","b":[1,true,null],"é":{}}');
  assert.throws(() => canonicalJson({ x: 1.5 }), /not an integer/);
});

test('an RSA-signed link from in-toto-run verifies, and its key id is the one in-toto gave', { skip }, () => {
  const document = parseLink(rsaLink);
  assert.equal(document.link.name, 'train');
  assert.ok(securesystemslibKeyIds(rsaKey).includes(document.signatures[0]!.keyid));
  const result = verifyLink(document, [{ name: 'alice', key: rsaKey }]);
  assert.deepEqual(result.verifiedBy.map((v) => v.name), ['alice']);
  assert.equal(result.invalid.length, 0);
});

test('an ed25519-signed link from in-toto-run verifies', { skip }, () => {
  const document = parseLink(ed25519Link);
  assert.deepEqual(document.link.command, ['/bin/echo', 'packaged']);
  assert.deepEqual(verifyLink(document, [{ name: 'bob', key: edKey }]).verifiedBy.map((v) => v.name), ['bob']);
});

test('a tampered product digest breaks the signature', { skip }, () => {
  for (const [bytes, key] of [[rsaLink, rsaKey], [ed25519Link, edKey]] as const) {
    const json = JSON.parse(bytes.toString('utf8')) as { signed: { products: Record<string, { sha256: string }> } };
    json.signed.products['model.onnx']!.sha256 = '0'.repeat(64);
    const result = verifyLink(parseLink(Buffer.from(JSON.stringify(json))), [{ name: 'k', key }]);
    assert.equal(result.verifiedBy.length, 0);
    assert.equal(result.invalid.length, 1);
  }
});

test('a link verified with another key is not accepted', { skip }, () => {
  const result = verifyLink(parseLink(rsaLink), [{ name: 'bob', key: edKey }]);
  assert.equal(result.verifiedBy.length, 0);
  assert.equal(result.unknownKeyIds.length, 1);
});

test('a re-ordered or re-indented link still verifies (the signature is over canonical JSON)', { skip }, () => {
  const json = JSON.parse(ed25519Link.toString('utf8')) as { signed: Record<string, unknown>; signatures: unknown };
  const reordered = Buffer.from(JSON.stringify({ signed: Object.fromEntries(Object.entries(json.signed).reverse()), signatures: json.signatures }));
  assert.equal(verifyLink(parseLink(reordered), [{ name: 'bob', key: edKey }]).verifiedBy.length, 1);
});

test('duplicate keys and layouts are refused', () => {
  assert.throws(() => parseLink(Buffer.from('{"signed":{"_type":"link","name":"a","name":"b"},"signatures":[]}')), /duplicate/i);
  assert.throws(() => parseLink(Buffer.from('{"signed":{"_type":"layout","steps":[]},"signatures":[]}')), /not "link"/);
});
