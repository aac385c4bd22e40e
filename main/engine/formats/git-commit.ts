// A raw git commit object (as `git cat-file commit <id>` prints it): its object id recomputed from the
// bytes (SHA-1 `commit <len>\0<body>`, or SHA-256 in repositories with the sha256 object format), its
// headers, and its signature split from the payload it signs, the way git does: the `gpgsig` (SHA-1
// repositories) or `gpgsig-sha256` (SHA-256) header and its continuation lines are cut out.

import { createHash } from 'node:crypto';

export class GitCommitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitCommitError';
  }
}

export type GitObjectFormat = 'sha1' | 'sha256';

export interface GitPerson {
  readonly name: string;
  readonly email: string;
  /** seconds since the epoch */
  readonly time: number;
  readonly zone: string;
}

export interface GitCommit {
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: GitPerson;
  readonly committer: GitPerson;
  readonly message: string;
  /** the armored signature of the header for this object format, or null when unsigned */
  readonly signature: string | null;
  readonly signatureKind: 'ssh' | 'openpgp' | 'x509' | 'unknown' | null;
  /** the commit without its signature headers: what the signature signs */
  readonly payload: Buffer;
}

const MAX_COMMIT_BYTES = 1024 * 1024;

/** The object id git gives these bytes as a commit. */
export function commitObjectId(bytes: Uint8Array, format: GitObjectFormat): string {
  return createHash(format === 'sha1' ? 'sha1' : 'sha256').update(`commit ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

export function objectFormatOf(id: string): GitObjectFormat | null {
  if (/^[0-9a-f]{40}$/.test(id)) return 'sha1';
  if (/^[0-9a-f]{64}$/.test(id)) return 'sha256';
  return null;
}

export function parseCommit(bytes: Uint8Array, format: GitObjectFormat): GitCommit {
  if (bytes.byteLength > MAX_COMMIT_BYTES) throw new GitCommitError(`a commit object of ${bytes.byteLength} bytes is larger than any real commit`);
  const buffer = Buffer.from(bytes);
  const end = buffer.indexOf('\n\n');
  if (end < 0) throw new GitCommitError('no blank line between the headers and the message');
  const headerText = buffer.subarray(0, end).toString('utf8');
  const lines = headerText.split('\n');
  const headers: { key: string; value: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const line of lines) {
    const lineLength = Buffer.byteLength(line, 'utf8') + 1;
    if (line.startsWith(' ')) {
      const last = headers[headers.length - 1];
      if (last === undefined) throw new GitCommitError('a continuation line before any header');
      last.value += `\n${line.slice(1)}`;
      last.end = offset + lineLength;
    } else {
      const space = line.indexOf(' ');
      if (space <= 0) throw new GitCommitError(`malformed header line "${line.slice(0, 40)}"`);
      headers.push({ key: line.slice(0, space), value: line.slice(space + 1), start: offset, end: offset + lineLength });
    }
    offset += lineLength;
  }
  const hexLength = format === 'sha1' ? 40 : 64;
  const objectId = new RegExp(`^[0-9a-f]{${hexLength}}$`);
  const single = (key: string): string => {
    const found = headers.filter((h) => h.key === key);
    if (found.length !== 1) throw new GitCommitError(`expected one "${key}" header, found ${found.length}`);
    return found[0]!.value;
  };
  const tree = single('tree');
  if (!objectId.test(tree)) throw new GitCommitError(`tree "${tree}" is not a ${format} object id`);
  const parents = headers.filter((h) => h.key === 'parent').map((h) => h.value);
  for (const parent of parents) if (!objectId.test(parent)) throw new GitCommitError(`parent "${parent}" is not a ${format} object id`);
  const order = headers.map((h) => h.key);
  if (order[0] !== 'tree' || order.slice(1, 1 + parents.length).some((k) => k !== 'parent')) throw new GitCommitError('headers out of order: tree, then parents, come first');
  const signatureHeader = format === 'sha1' ? 'gpgsig' : 'gpgsig-sha256';
  const signatures = headers.filter((h) => h.key === signatureHeader);
  if (signatures.length > 1) throw new GitCommitError(`${signatures.length} "${signatureHeader}" headers`);
  // git cuts both signature headers out of the payload (a commit may carry one for each object format).
  const cut = headers.filter((h) => h.key === 'gpgsig' || h.key === 'gpgsig-sha256');
  const kept: Buffer[] = [];
  let from = 0;
  for (const h of cut) {
    kept.push(buffer.subarray(from, h.start));
    from = h.end;
  }
  kept.push(buffer.subarray(from));
  const signature = signatures[0]?.value ?? null;
  return {
    tree,
    parents,
    author: person(single('author'), 'author'),
    committer: person(single('committer'), 'committer'),
    message: buffer.subarray(end + 2).toString('utf8'),
    signature: signature === null ? null : `${signature}\n`,
    signatureKind: signature === null ? null : kindOf(signature),
    payload: Buffer.concat(kept),
  };
}

function kindOf(armored: string): GitCommit['signatureKind'] {
  if (armored.startsWith('-----BEGIN SSH SIGNATURE-----')) return 'ssh';
  if (armored.startsWith('-----BEGIN PGP SIGNATURE-----')) return 'openpgp';
  if (armored.startsWith('-----BEGIN SIGNED MESSAGE-----')) return 'x509';
  return 'unknown';
}

function person(value: string, key: string): GitPerson {
  const match = /^(.*) <([^<>]*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (match === null) throw new GitCommitError(`malformed ${key} "${value.slice(0, 80)}"`);
  return { name: match[1]!, email: match[2]!, time: Number(match[3]), zone: match[4]! };
}
