// Loads the verification policy file: YAML, schema-validated; any problem stops verification (exit 2).

import { readFile, stat } from 'node:fs/promises';
import { policySchema, type Policy } from '../schemas/policy.js';
import { describeProblem, readYamlDocument } from '../schemas/validate.js';

export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

const MAX_POLICY_BYTES = 1024 * 1024;

export async function loadPolicy(path: string): Promise<Policy> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PolicyFileError(`policy ${path} is not a file`);
    if (info.size > MAX_POLICY_BYTES) throw new PolicyFileError(`policy ${path} is larger than 1 MiB`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof PolicyFileError) throw error;
    throw new PolicyFileError(`cannot read policy ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const reading = readYamlDocument(bytes, policySchema);
  if (!reading.ok) throw new PolicyFileError(`policy ${path}: ${describeProblem(reading)}`);
  return reading.value;
}
