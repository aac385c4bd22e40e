// Reading the files a command is given: a file that cannot be read is input the command could not run
// on (exit 2, one line naming the file and the system's reason), never a crash.

import { readFile } from 'node:fs/promises';
import { messageOf } from '../engine/sigstore/errors.js';

/** Input a command could not use: exit 2, like a usage error, but with its own message. */
export class CouldNotRunError extends Error {}

/** `cannot read <what> <path>: ENOENT` (the error code when there is one). */
export function cannotRead(what: string, path: string, error: unknown): CouldNotRunError {
  return new CouldNotRunError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
}

export async function readInput(path: string, what: string): Promise<Buffer>;
export async function readInput(path: string, what: string, encoding: 'utf8'): Promise<string>;
export async function readInput(path: string, what: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding === undefined ? await readFile(path) : await readFile(path, encoding);
  } catch (error) {
    throw cannotRead(what, path, error);
  }
}
