// Shared by the scan and VEX readers: zod validation problems as one line each, with the path written
// the way a reader of the document would look it up (`runs[0].results[2].level`).

import { z } from 'zod';

/** ISO 8601 date-time with seconds and a zone (`Z` or an offset), any fraction: RFC 3339 as SARIF and OpenVEX use it. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** `runs[0].results[2].level` from zod's path; `(root)` for the document itself. */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[@A-Za-z_$][\w$@-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

export function schemaIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
}
