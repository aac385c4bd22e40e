// Interop: a commit signed by the real `git commit -S` with an SSH key (gpg.format=ssh) in a test
// repository verifies against the developer's public key; an edited commit object does not.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateKey, sign } from 'openpgp';
import { commitFinding } from '../../../main/engine/checks/source-commit.js';
import { commitObjectId, parseCommit } from '../../../main/engine/formats/git-commit.js';
import { readOpenPgpPublicKey } from '../../../main/engine/formats/openpgp-signature.js';
import { parseAuthorizedKey } from '../../../main/engine/formats/ssh-signature.js';
import type { DeveloperKey } from '../../../main/engine/trust/developer-keys.js';

let work: string;
let commitBytes: Buffer;
let commitId: string;
let developer: DeveloperKey;
let stranger: DeveloperKey;

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
}

function sshKey(name: string): string {
  const path = join(work, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@example.eu`, '-f', path]);
  return path;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'assay-git-'));
  const keyPath = sshKey('anna');
  const otherPath = sshKey('mallory');
  const repo = join(work, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  for (const [k, v] of [['user.name', 'Anna Keller'], ['user.email', 'anna@example.eu'], ['gpg.format', 'ssh'], ['user.signingkey', `${keyPath}.pub`]] as const) git(repo, 'config', k, v);
  writeFileSync(join(repo, 'train.py'), 'print("train")\n');
  git(repo, 'add', 'train.py');
  git(repo, 'commit', '-q', '-S', '-m', 'Train the credit model');
  commitId = git(repo, 'rev-parse', 'HEAD').trim();
  commitBytes = execFileSync('git', ['-C', repo, 'cat-file', 'commit', 'HEAD']);
  developer = { name: 'anna', kind: 'ssh', ssh: parseAuthorizedKey(readFileSync(`${keyPath}.pub`, 'utf8')) };
  stranger = { name: 'mallory', kind: 'ssh', ssh: parseAuthorizedKey(readFileSync(`${otherPath}.pub`, 'utf8')) };
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the commit id is recomputed from the raw object', () => {
  assert.equal(commitObjectId(commitBytes, 'sha1'), commitId);
  const commit = parseCommit(commitBytes, 'sha1');
  assert.equal(commit.signatureKind, 'ssh');
  assert.equal(commit.author.email, 'anna@example.eu');
  assert.ok(!commit.payload.toString().includes('gpgsig'));
});

test('a commit signed with git commit -S (SSH) verifies with the developer key', async () => {
  const finding = await commitFinding(commitBytes, commitId, [developer]);
  assert.equal(finding.id, 'SRC-COMMIT-VERIFIED', finding.message);
});

test('the same commit is refused when the policy names another developer', async () => {
  assert.equal((await commitFinding(commitBytes, commitId, [stranger])).id, 'SRC-SIGNER-UNTRUSTED');
});

test('an edited commit object no longer has the recorded id', async () => {
  const edited = Buffer.from(commitBytes.toString('utf8').replace('Train the credit model', 'Train the credit modal'));
  assert.equal((await commitFinding(edited, commitId, [developer])).id, 'SRC-COMMIT-ID-MISMATCH');
});

test('an edited commit object whose id is recorded anyway fails the signature', async () => {
  const edited = Buffer.from(commitBytes.toString('utf8').replace('Anna Keller', 'Anna Kellar'));
  assert.equal((await commitFinding(edited, commitObjectId(edited, 'sha1'), [developer])).id, 'SRC-SIGNATURE-INVALID');
});

test('an unsigned commit is refused', async () => {
  const unsigned = parseCommit(commitBytes, 'sha1').payload;
  assert.equal((await commitFinding(unsigned, commitObjectId(unsigned, 'sha1'), [developer])).id, 'SRC-COMMIT-UNSIGNED');
});

test('an OpenPGP-signed commit verifies with the developer key and not after editing', async () => {
  const { privateKey, publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Anna Keller', email: 'anna@example.eu' }], format: 'object' });
  const payload = Buffer.from(`tree ${'a'.repeat(40)}\nauthor Anna Keller <anna@example.eu> 1760000000 +0200\ncommitter Anna Keller <anna@example.eu> 1760000000 +0200\n\nSigned with OpenPGP\n`);
  const { createMessage } = await import('openpgp');
  const armored = (await sign({ message: await createMessage({ binary: new Uint8Array(payload) }), signingKeys: privateKey, detached: true, format: 'armored' })) as string;
  const header = `gpgsig ${armored.trimEnd().split('\n').join('\n ')}\n`;
  const text = payload.toString('utf8');
  const signed = Buffer.from(text.replace('\n\n', `\n${header}\n`));
  const key: DeveloperKey = { name: 'anna-pgp', kind: 'openpgp', openpgp: await readOpenPgpPublicKey(publicKey.armor()) };
  assert.equal((await commitFinding(signed, commitObjectId(signed, 'sha1'), [key])).id, 'SRC-COMMIT-VERIFIED');
  const edited = Buffer.from(signed.toString('utf8').replace('Signed with', 'Signed by'));
  assert.equal((await commitFinding(edited, commitObjectId(edited, 'sha1'), [key])).id, 'SRC-SIGNATURE-INVALID');
  assert.equal((await commitFinding(signed, commitObjectId(signed, 'sha1'), [developer])).id, 'SRC-SIGNER-UNTRUSTED');
});
