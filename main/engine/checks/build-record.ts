// records/build.json as the supply-chain checks need it: the commit that was built, the image it was
// built into, and the lockfiles. Read strictly; a record that is missing or invalid is reported by the
// REC check, and the checks that need it say they could not run.

import { readFile } from 'node:fs/promises';
import { buildRecordSchema, RECORD_PATHS, type BuildRecord } from '../schemas/records.js';
import { describeProblem, readJsonDocument } from '../schemas/validate.js';
import type { VerifyContext } from './check.js';

const MAX_RECORD_BYTES = 16 * 1024 * 1024;

type BuildRecordReading = { ok: true; record: BuildRecord } | { ok: false; reason: string };

/** Read once per verification: SRC, PROV and SCAN all tie their evidence to it. */
const readings = new WeakMap<VerifyContext, Promise<BuildRecordReading>>();

export function readBuildRecord(context: VerifyContext): Promise<BuildRecordReading> {
  let reading = readings.get(context);
  if (reading === undefined) {
    reading = readOnce(context);
    readings.set(context, reading);
  }
  return reading;
}

async function readOnce(context: VerifyContext): Promise<BuildRecordReading> {
  const file = context.bundle.files.find((f) => f.path === RECORD_PATHS.build);
  if (file === undefined) return { ok: false, reason: `${RECORD_PATHS.build} is missing` };
  if (file.size > MAX_RECORD_BYTES) return { ok: false, reason: `${RECORD_PATHS.build} is too large` };
  const reading = readJsonDocument(await readFile(file.absPath), buildRecordSchema);
  if (!reading.ok) return { ok: false, reason: `${RECORD_PATHS.build} is invalid: ${describeProblem(reading)}` };
  return { ok: true, record: reading.value };
}

/** The hex of an OCI digest `sha256:<hex>`. */
export function digestHex(digest: string): string {
  return digest.slice('sha256:'.length);
}
