// A second implementation: OpenSSL checks the instance's certificate chain and RFC 3161 tokens, so the
// ASN.1 is right by more than one reader's standard. Skipped (saying so) where openssl is not installed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createTestInstance } from '../../../main/engine/sample/sigstore/instance.js';
import { toPem } from '../../../main/engine/sample/sigstore/x509.js';
import { NOW, RELEASE_WORKFLOW } from './helpers.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

function openssl(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('test Sigstore instance read by OpenSSL', { skip: hasOpenssl ? false : 'openssl is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-sigstore-openssl-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const instance = createTestInstance('seed-a', { now: NOW, withCtLog: true });
  const signed = instance.signMessageDetailed(Buffer.from('artefact\n'), RELEASE_WORKFLOW);
  const file = (name: string, bytes: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const inside = String(Math.floor(NOW.getTime() / 1000) + 300);
  const expiredAt = String(Math.floor(NOW.getTime() / 1000) + 900);

  it('verifies the leaf certificate through intermediate to root inside its 10 minutes, not after', () => {
    const args = ['verify', '-CAfile', file('root.pem', toPem(instance.ca.rootCertificate)), '-untrusted', file('intermediate.pem', toPem(instance.ca.intermediateCertificate))];
    const leaf = file('leaf.pem', toPem(signed.certificate));
    const ok = openssl([...args, '-attime', inside, leaf]);
    assert.equal(ok.status, 0, ok.output);
    const expired = openssl([...args, '-attime', expiredAt, leaf]);
    assert.notEqual(expired.status, 0, expired.output);
  });

  it('verifies the RFC 3161 token over the signature bytes', () => {
    const args = ['ts', '-verify', '-in', file('token.der', signed.rfc3161Timestamp), '-CAfile', file('tsa-root.pem', toPem(instance.tsa.rootCertificate)), '-untrusted', file('tsa.pem', toPem(instance.tsa.signingCertificate)), '-attime', inside];
    const ok = openssl([...args, '-data', file('signature.bin', signed.signature)]);
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /Verification: OK/);
    const other = openssl([...args, '-data', file('other.bin', Buffer.from('another signature'))]);
    assert.notEqual(other.status, 0, other.output);
  });
});
