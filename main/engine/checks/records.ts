// REC: the release's declaration (compliance.yaml) and every record under records/ are present and valid
// against their versioned schemas, so the checks that read them later see typed values, never raw JSON.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORD_SCHEMAS } from '../schemas/registry.js';
import { readJsonDocument, readYamlDocument } from '../schemas/validate.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

/** A record larger than this is refused unread: no legitimate record comes near it. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export const recordsCheck: Check = {
  prefix: 'REC',
  title: 'Release records',
  obligation:
    'Art. 11 and Annex IV technical documentation, Art. 9 risk management: the declaration and the build, data, evaluation, risk, model-card and deployment records must exist and be well-formed before anything can be concluded from them.',
  findings: {
    'REC-VALID': { status: 'pass', severity: 'info', when: 'A record is present and valid against its schema.' },
    'REC-MISSING': { status: 'fail', severity: 'high', when: 'A required record (compliance.yaml or one of records/*.json) is not in the bundle.' },
    'REC-UNPARSEABLE': { status: 'fail', severity: 'high', when: 'A record is not valid UTF-8 JSON or YAML, or is too large.' },
    'REC-DUPLICATE-KEY': { status: 'fail', severity: 'high', when: 'A record repeats a key in an object.' },
    'REC-SCHEMA': { status: 'fail', severity: 'high', when: 'A record does not match its versioned schema (docs/schemas/).' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    const findings: FindingDraft[] = [];
    for (const [path, schema] of RECORD_SCHEMAS) {
      const subject = { kind: 'file', path } as const;
      const file = context.bundle.files.find((f) => f.path === path);
      if (file === undefined) {
        findings.push(findingOf(this, 'REC-MISSING', subject, `${path} is missing: the release has no such record`));
        continue;
      }
      if (file.size > MAX_RECORD_BYTES) {
        findings.push(findingOf(this, 'REC-UNPARSEABLE', subject, `${path} is ${file.size} bytes, over the ${MAX_RECORD_BYTES}-byte limit for a record`, { size: file.size }));
        continue;
      }
      const bytes = await readFile(join(context.bundle.root, path));
      const reading = path.endsWith('.yaml') || path.endsWith('.yml') ? readYamlDocument(bytes, schema) : readJsonDocument(bytes, schema);
      if (reading.ok) {
        const type = recordType(reading.value);
        findings.push(findingOf(this, 'REC-VALID', subject, `${path} is a valid ${type ?? 'record'}`, { type }));
        continue;
      }
      const id = reading.kind === 'schema' ? 'REC-SCHEMA' : reading.kind === 'duplicate-key' ? 'REC-DUPLICATE-KEY' : 'REC-UNPARSEABLE';
      findings.push(findingOf(this, id, subject, `${path} is invalid: ${reading.issues.slice(0, 5).join('; ')}`, { issues: reading.issues.length }));
    }
    return findings;
  },
};

function recordType(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const type = record['recordType'] ?? record['apiVersion'];
  return typeof type === 'string' ? type : null;
}
