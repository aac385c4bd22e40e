// trusted_root.json for the test instance (Sigstore trusted root, media type ...;version=0.1, protobuf
// JSON): its Fulcio-like CA, Rekor-like log, CT log when it has one (a private instance without CT lists
// none), and timestamp authority, each valid from the instance's start. Every field Assay's strict loader
// requires is written out; nothing is left to a verifier's defaults.

import type { CtLog } from './ct-log.js';
import type { FulcioCa } from './fulcio.js';
import type { RekorLog } from './rekor.js';
import type { TimestampAuthority } from './tsa.js';

export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';

interface TrustedRootLog {
  readonly baseUrl: string;
  readonly hashAlgorithm: 'SHA2_256';
  readonly publicKey: { readonly rawBytes: string; readonly keyDetails: 'PKIX_ECDSA_P256_SHA_256'; readonly validFor: { readonly start: string } };
  readonly logId: { readonly keyId: string };
}

interface TrustedRootAuthority {
  readonly subject: { readonly organization: string; readonly commonName: string };
  readonly uri: string;
  readonly certChain: { readonly certificates: readonly { readonly rawBytes: string }[] };
  readonly validFor: { readonly start: string };
}

export interface TrustedRootDocument {
  readonly mediaType: typeof TRUSTED_ROOT_MEDIA_TYPE;
  readonly tlogs: readonly TrustedRootLog[];
  readonly certificateAuthorities: readonly TrustedRootAuthority[];
  readonly ctlogs: readonly TrustedRootLog[];
  readonly timestampAuthorities: readonly TrustedRootAuthority[];
}

export interface TrustedRootParts {
  readonly ca: FulcioCa;
  readonly rekor: RekorLog;
  readonly ctLog: CtLog | null;
  readonly tsa: TimestampAuthority;
  readonly validFrom: Date;
}

export function trustedRootDocument({ ca, rekor, ctLog, tsa, validFrom }: TrustedRootParts): TrustedRootDocument {
  const start = rfc3339(validFrom);
  const log = (baseUrl: string, spki: Buffer, logId: Buffer): TrustedRootLog => ({
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: logId.toString('base64') },
  });
  const chain = (certificates: readonly Buffer[]): TrustedRootAuthority['certChain'] => ({ certificates: certificates.map((der) => ({ rawBytes: der.toString('base64') })) });
  return {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: [log(rekor.baseUrl, rekor.key.spki, rekor.logId)],
    certificateAuthorities: [{ subject: ca.intermediateSubject, uri: ca.uri, certChain: chain(ca.chain), validFor: { start } }],
    ctlogs: ctLog === null ? [] : [log(ctLog.baseUrl, ctLog.key.spki, ctLog.logId)],
    timestampAuthorities: [{ subject: tsa.subject, uri: tsa.uri, certChain: chain(tsa.chain), validFor: { start } }],
  };
}

/** RFC 3339 in UTC, whole seconds when the time has no milliseconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
