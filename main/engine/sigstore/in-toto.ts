// The in-toto Statement inside a DSSE envelope (https://github.com/in-toto/attestation, v0.1 and v1):
// parsed from the exact payload bytes that were verified, never a re-serialisation, and matched to the
// artefact by its sha256. @sigstore/verify checks the envelope signature only; what it signs is ours.

import { parseStrictJson } from '../json/strict-json.js';
import { SigstoreBundleError, messageOf } from './errors.js';
import { asObject, repeated, requiredObject, requiredString, ShapeError } from './json-fields.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'] as const;

export interface InTotoSubject {
  readonly name: string;
  /** algorithm -> lowercase hex, as the statement gives it */
  readonly digest: Readonly<Record<string, string>>;
}

export interface InTotoStatement {
  readonly type: string;
  readonly predicateType: string;
  readonly subjects: readonly InTotoSubject[];
  /** The predicate as parsed from the verified bytes; checks that read it validate it themselves. */
  readonly predicate: unknown;
}

/** Parses a Statement; throws SigstoreBundleError('STATEMENT_MALFORMED'). */
export function parseStatement(payload: Buffer): InTotoStatement {
  try {
    const top = asObject(parseStrictJson(payload), 'statement');
    const type = requiredString(top, '_type', 'statement');
    if (!(STATEMENT_TYPES as readonly string[]).includes(type)) throw new ShapeError(`unknown statement _type "${type}"`);
    const predicateType = requiredString(top, 'predicateType', 'statement');
    const subjects = repeated(top, 'subject', 'statement').map((value, i) => {
      const subject = asObject(value, `subject[${i}]`);
      const digestJson = requiredObject(subject, 'digest', `subject[${i}]`);
      const digest: Record<string, string> = {};
      for (const [algorithm, hex] of Object.entries(digestJson)) {
        if (typeof hex !== 'string') throw new ShapeError(`subject[${i}].digest.${algorithm} must be a string`);
        digest[algorithm] = hex;
      }
      const name = typeof subject['name'] === 'string' ? subject['name'] : '';
      return { name, digest };
    });
    if (subjects.length === 0) throw new ShapeError('statement has no subject');
    return { type, predicateType, subjects, predicate: top['predicate'] ?? null };
  } catch (error) {
    throw new SigstoreBundleError('STATEMENT_MALFORMED', `in-toto statement: ${messageOf(error)}`);
  }
}

/** Subjects whose sha256 equals the given lowercase hex digest (exact, case-insensitive hex compare). */
export function subjectsMatchingSha256(statement: InTotoStatement, sha256Hex: string): InTotoSubject[] {
  return statement.subjects.filter((s) => {
    const value = s.digest['sha256'];
    return value !== undefined && /^[0-9a-fA-F]{64}$/.test(value) && value.toLowerCase() === sha256Hex;
  });
}
