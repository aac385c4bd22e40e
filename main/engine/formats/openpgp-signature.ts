// Detached OpenPGP signatures (what `git commit -S` writes with gpg.format=openpgp), verified with the
// openpgp library against the assessor's armored public keys: the signature must be by one of those
// keys (primary or signing subkey), valid, and over the exact payload bytes.

import { createMessage, readKey, readSignature, verify, type PublicKey } from 'openpgp';

export interface OpenPgpKey {
  readonly key: PublicKey;
  /** upper-case hex fingerprint of the primary key */
  readonly fingerprint: string;
  readonly userIds: readonly string[];
}

export async function readOpenPgpPublicKey(armored: string): Promise<OpenPgpKey> {
  const key = await readKey({ armoredKey: armored });
  if (key.isPrivate()) throw new Error('an OpenPGP private key; the trust store takes public keys only');
  return { key, fingerprint: key.getFingerprint().toUpperCase(), userIds: key.getUserIDs() };
}

export type OpenPgpVerification =
  | { readonly ok: true; readonly fingerprint: string; readonly keyId: string }
  | { readonly ok: false; readonly reason: string; readonly keyIds: readonly string[]; readonly knownKey: boolean };

/** Verifies a detached, armored signature over `payload` (a binary-mode signature, as gpg makes for git). */
export async function verifyOpenPgpDetached(armoredSignature: string, payload: Buffer, keys: readonly OpenPgpKey[]): Promise<OpenPgpVerification> {
  let signature;
  try {
    signature = await readSignature({ armoredSignature });
  } catch (error) {
    return { ok: false, reason: `not an OpenPGP signature: ${(error as Error).message}`, keyIds: [], knownKey: false };
  }
  const keyIds = signature.getSigningKeyIDs().map((id) => id.toHex().toUpperCase());
  const known = keys.filter((k) => k.key.getKeys().some((sub) => keyIds.includes(sub.getKeyID().toHex().toUpperCase())));
  if (known.length === 0) return { ok: false, reason: `signed by key id ${keyIds.join(', ') || 'unknown'}, which is not a trusted key`, keyIds, knownKey: false };
  const result = await verify({ message: await createMessage({ binary: new Uint8Array(payload) }), signature, verificationKeys: known.map((k) => k.key), expectSigned: false });
  for (const entry of result.signatures) {
    try {
      await entry.verified;
      const keyId = entry.keyID.toHex().toUpperCase();
      const owner = known.find((k) => k.key.getKeys().some((sub) => sub.getKeyID().toHex().toUpperCase() === keyId))!;
      return { ok: true, fingerprint: owner.fingerprint, keyId };
    } catch (error) {
      return { ok: false, reason: (error as Error).message.split('\n')[0] ?? 'invalid signature', keyIds, knownKey: true };
    }
  }
  return { ok: false, reason: 'the signature packet holds no signature', keyIds, knownKey: false };
}
