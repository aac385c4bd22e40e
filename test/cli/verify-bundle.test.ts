// `assay verify-bundle` as a user or CI runs it: exit 0 with a summary for every fixture, 1 with one line
// saying why for what does not verify, 2 for usage and unreadable input; never a stack trace; and no
// network access at all while every fixture verifies.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ASSAY_BIN, runAssay, type CliResult } from '../helpers/cli.js';
import { ARTIFACT_SHA256, BRIAN, FIXTURE_CASES, fixturePath } from '../unit/sigstore/fixtures.js';

const PRELOAD = fileURLToPath(new URL('./no-network-preload.js', import.meta.url));
const brian = ['--certificate-identity', BRIAN.identity, '--certificate-oidc-issuer', BRIAN.issuer];
const privateRoot = ['--trusted-root', fixturePath('trusted_root.json')];
const artifact = fixturePath('artifact.txt');

function argsFor(c: (typeof FIXTURE_CASES)[number]): string[] {
  // The cosign and SLSA bundles chain to the public good instance: use the embedded root for them.
  const root = c.root === 'trusted_root.json' ? privateRoot : [];
  return ['verify-bundle', '--bundle', fixturePath(c.bundle), ...c.cliPolicy, ...root, c.artifactArg];
}

function assertOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^assay: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\bat .+:\d+:\d+/); // no stack frames
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assay-verify-bundle-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('assay verify-bundle', () => {
  it('exit 0 with identity, issuer, log index and times for every fixture', async () => {
    for (const c of FIXTURE_CASES) {
      const result = await runAssay(argsFor(c));
      assert.equal(result.code, 0, `${c.bundle}: ${result.stderr}`);
      assert.match(result.stdout, /^Verified OK\n/);
      if (c.cliPolicy[0] === '--key') assert.match(result.stdout, /key: +ECDSA P-256/);
      else {
        assert.match(result.stdout, new RegExp(`identity: +${c.cliPolicy[1]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n`));
        assert.match(result.stdout, /issuer: +https:\/\//);
        assert.match(result.stdout, /certificate: +valid \S+ to \S+/);
      }
      assert.match(result.stdout, /tlog: +(log index \d+|none)/);
      assert.match(result.stdout, /(integrated \d{4}-|RFC 3161)/);
    }
  });

  it('exit 0 for a message signature given as sha256:<hex>, and a path that exists wins', async () => {
    const digest = await runAssay(['verify-bundle', '--bundle', fixturePath('v0.1-message-signature-cert.sigstore.json'), ...brian, ...privateRoot, `sha256:${ARTIFACT_SHA256}`]);
    assert.equal(digest.code, 0, digest.stderr);
    // A file literally named like a digest is read as a file, whose bytes are not the artefact.
    const trap = join(dir, `sha256:${ARTIFACT_SHA256}`);
    await writeFile(trap, 'not the artefact');
    const file = await runAssay(['verify-bundle', '--bundle', fixturePath('v0.1-message-signature-cert.sigstore.json'), ...brian, ...privateRoot, trap]);
    assertOneLineError(file, 1, /ARTIFACT_MISMATCH/);
  });

  it('an artefact over 256 MiB is verified from a streamed digest (ECDSA), or read whole where the signature needs it (Ed25519)', async () => {
    const { createHash, createPrivateKey, createSign, generateKeyPairSync, sign } = await import('node:crypto');
    const { open } = await import('node:fs/promises');
    const { toMessageSignatureBundle, bundleToJSON } = await import('@sigstore/bundle');
    const large = join(dir, 'weights.bin');
    const size = 300 * 1024 * 1024;
    const handle = await open(large, 'w');
    await handle.truncate(size); // sparse: no disk, reads as zeros
    await handle.write(Buffer.from('the last bytes count too'), 0, 24, size - 24);
    await handle.close();
    const bytes = await readFile(large);
    const digest = createHash('sha256').update(bytes).digest();
    const keys = { ecdsa: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), ed25519: generateKeyPairSync('ed25519') };
    const signatures = { ecdsa: createSign('sha256').update(bytes).sign(createPrivateKey(keys.ecdsa.privateKey.export({ type: 'pkcs8', format: 'pem' }))), ed25519: sign(null, bytes, keys.ed25519.privateKey) };
    for (const kind of ['ecdsa', 'ed25519'] as const) {
      const keyPath = join(dir, `large-${kind}.pem`);
      await writeFile(keyPath, keys[kind].publicKey.export({ type: 'spki', format: 'pem' }));
      const bundlePath = join(dir, `large-${kind}.sigstore.json`);
      await writeFile(bundlePath, JSON.stringify(bundleToJSON(toMessageSignatureBundle({ digest, signature: signatures[kind], keyHint: '', certificateChain: false }))));
      const verified = await runAssay(['verify-bundle', '--bundle', bundlePath, '--key', keyPath, ...privateRoot, large]);
      assert.equal(verified.code, 0, `${kind}: ${verified.stderr}`);
      assert.match(verified.stdout, new RegExp(`artefact: +sha256:${digest.toString('hex')}`));
      // one changed byte at the very end is still seen
      const changed = await open(large, 'r+');
      await changed.write(Buffer.from('T'), 0, 1, size - 24);
      await changed.close();
      assertOneLineError(await runAssay(['verify-bundle', '--bundle', bundlePath, '--key', keyPath, ...privateRoot, large]), 1, /not verified/);
      const restore = await open(large, 'r+');
      await restore.write(Buffer.from('t'), 0, 1, size - 24);
      await restore.close();
    }
  });

  it('exit 1, one line, for another identity, issuer, key or artefact', async () => {
    const bundle = ['--bundle', fixturePath('v0.3-message-signature-rekor2.sigstore.json')];
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, '--certificate-identity', 'rian@dehamer.com', '--certificate-oidc-issuer', BRIAN.issuer, ...privateRoot, artifact]), 1, /not verified \[SIGNER_MISMATCH\]/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, '--certificate-identity', BRIAN.identity, '--certificate-oidc-issuer', 'https://accounts.google.com', ...privateRoot, artifact]), 1, /SIGNER_MISMATCH/);
    const otherArtefact = join(dir, 'other.txt');
    await writeFile(otherArtefact, 'hello, world?');
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...brian, ...privateRoot, otherArtefact]), 1, /ARTIFACT_MISMATCH/);
    const otherKey = join(dir, 'other-key.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    await writeFile(otherKey, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }));
    assertOneLineError(await runAssay(['verify-bundle', '--bundle', fixturePath('v0.1-message-signature-public-key.sigstore.json'), '--key', otherKey, ...privateRoot, artifact]), 1, /SIGNATURE_INVALID/);
    // The sigstore-js fixtures' TSA is a local mock: the embedded public-good root rightly refuses it.
    assertOneLineError(await runAssay(['verify-bundle', '--bundle', fixturePath('v0.3-message-signature-cert-tsa.sigstore.json'), ...brian, artifact]), 1, /TIMESTAMP_INVALID/);
  });

  it('exit 1, one line, for malformed bundles', async () => {
    const json = JSON.parse(await readFile(fixturePath('v0.3-message-signature-cert-tsa.sigstore.json'), 'utf8')) as Record<string, Record<string, string>>;
    const cases: [string, string, RegExp][] = [
      ['bad-json.json', '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",', /BUNDLE_MALFORMED.*not valid JSON/],
      ['media-type.json', JSON.stringify({ ...json, mediaType: 'application/vnd.dev.sigstore.bundle.v0.9+json' }), /BUNDLE_MEDIA_TYPE/],
      ['truncated.json', JSON.stringify({ ...json, messageSignature: { ...json['messageSignature'], signature: json['messageSignature']!['signature']!.slice(0, -7) } }), /BUNDLE_MALFORMED.*base64/],
      ['legacy-truncated.json', JSON.stringify({ base64Signature: 'MEUCIQ', rekorBundle: {} }), /BUNDLE_MALFORMED/],
    ];
    for (const [name, text, pattern] of cases) {
      await writeFile(join(dir, name), text);
      assertOneLineError(await runAssay(['verify-bundle', '--bundle', join(dir, name), ...brian, ...privateRoot, artifact]), 1, pattern);
    }
  });

  it('exit 2, one line, for usage errors, unreadable input and unusable trust material', async () => {
    const bundle = ['--bundle', fixturePath('v0.1-message-signature-public-key.sigstore.json')];
    const key = ['--key', fixturePath('public-key.pem')];
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...key, ...brian, artifact]), 2, /usage: .*not both/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, artifact]), 2, /usage: .*not neither/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, '--certificate-identity', BRIAN.identity, artifact]), 2, /usage: .*go together/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...key]), 2, /usage/);
    assertOneLineError(await runAssay(['verify-bundle', ...key, artifact]), 2, /usage: --bundle is required/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...key, '--certificate-identity-regexp', '.*', artifact]), 2, /usage/);
    assertOneLineError(await runAssay(['verify-bundle', '--bundle', join(dir, 'missing.json'), ...key, artifact]), 2, /cannot read bundle .*ENOENT/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...key, join(dir, 'missing.txt')]), 2, /cannot read artefact .*ENOENT/);
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...key, 'sha256:abc']), 2, /neither a file nor sha256/);
    // Wrong key types: a certificate, a private key, an unsupported curve, no PEM at all.
    const { generateKeyPairSync } = await import('node:crypto');
    const wrongKeys: [string, string, RegExp][] = [
      ['cert.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', /"CERTIFICATE" PEM block is not a public key/],
      ['private.pem', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /"PRIVATE KEY" PEM block is not a public key/],
      ['k256.pem', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), /EC curve secp256k1 is not one Sigstore signs with/],
      ['rsa1024.pem', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), /RSA key of 1024 bits is too small/],
      ['empty.pem', 'hello', /expected one PEM block/],
    ];
    for (const [name, pem, pattern] of wrongKeys) {
      await writeFile(join(dir, name), pem);
      assertOneLineError(await runAssay(['verify-bundle', ...bundle, '--key', join(dir, name), ...privateRoot, artifact]), 2, pattern);
    }
    await writeFile(join(dir, 'root.json'), '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": "x"}');
    assertOneLineError(await runAssay(['verify-bundle', ...bundle, ...key, '--trusted-root', join(dir, 'root.json'), artifact]), 2, /trusted root .*tlogs must be a list/);
  });
});

describe('verification is offline', () => {
  function runOffline(args: readonly string[], logFile: string): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', PRELOAD, ...args], { env: { ...process.env, ASSAY_NETWORK_LOG: logFile }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('the preload traps network access (it is not vacuous)', async () => {
    const log = join(dir, 'canary.log');
    const probe = "try { await fetch('http://127.0.0.1:9/'); } catch {} try { (await import('node:dns')).lookup('example.org', () => {}); } catch {} try { (await import('node:net')).connect(9, '127.0.0.1'); } catch {}";
    const result = await runOffline(['--input-type=module', '-e', probe], log);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), ['fetch', 'dns.lookup', 'net.connect']);
  });

  it('every fixture verifies with no network call attempted', async () => {
    const log = join(dir, 'offline.log');
    for (const c of FIXTURE_CASES) {
      const result = await runOffline([ASSAY_BIN, ...argsFor(c)], log);
      assert.equal(result.code, 0, `${c.bundle}: ${result.stderr}`);
    }
    assert.equal((await readFile(`${log}.armed`, 'utf8')).trim().split('\n').length, FIXTURE_CASES.length, 'the preload ran in every child');
    await assert.rejects(readFile(log, 'utf8'), { code: 'ENOENT' }, 'a network call was attempted');
  });
});
