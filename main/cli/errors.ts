// Maps what went wrong to the exit-code contract of docs/cli.md: 2 means Assay could not run.

import { BundleUnreadableError } from '../engine/sources/bundle-source.js';
import { PolicyFileError } from '../engine/trust/load-policy.js';
import { TrustStoreError } from '../engine/trust/trust-store.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_COULD_NOT_RUN = 2;

/** One line for the user; a stack trace only with ASSAY_DEBUG=1, since a trace is no reason. */
export function describeFatal(error: unknown): string {
  if (error instanceof UsageError) return `usage: ${error.message} (see assay --help)`;
  if (error instanceof BundleUnreadableError || error instanceof PolicyFileError || error instanceof TrustStoreError) return error.message;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `internal error: ${message}`;
}
