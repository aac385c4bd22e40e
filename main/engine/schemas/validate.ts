// Parse-at-the-boundary: bytes become validated, typed values here, or a typed problem that a check
// turns into a finding. JSON goes through the duplicate-key-refusing parser, YAML through `yaml` with
// unique keys, no custom tags and bounded aliases.

import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { parseStrictJson, StrictJsonError } from '../json/strict-json.js';

export type DocumentProblemKind = 'syntax' | 'duplicate-key' | 'schema';

export type DocumentReading<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly kind: DocumentProblemKind; readonly issues: readonly string[] };

export function readJsonDocument<S extends z.ZodType>(bytes: Uint8Array | string, schema: S): DocumentReading<z.output<S>> {
  let raw: unknown;
  try {
    raw = parseStrictJson(bytes);
  } catch (error) {
    if (error instanceof StrictJsonError) return { ok: false, kind: error.kind, issues: [error.message] };
    return { ok: false, kind: 'syntax', issues: [`not UTF-8 JSON: ${(error as Error).message}`] };
  }
  return validateValue(raw, schema);
}

export function readYamlDocument<S extends z.ZodType>(bytes: Uint8Array | string, schema: S): DocumentReading<z.output<S>> {
  let raw: unknown;
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    raw = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100, customTags: [], merge: false, prettyErrors: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'invalid YAML';
    const kind: DocumentProblemKind = /duplicate|unique/i.test(message) ? 'duplicate-key' : 'syntax';
    return { ok: false, kind, issues: [message] };
  }
  return validateValue(raw, schema);
}

export function validateValue<S extends z.ZodType>(raw: unknown, schema: S): DocumentReading<z.output<S>> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => {
    const where = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
  return { ok: false, kind: 'schema', issues };
}

/** One line for a problem, e.g. for a CLI error or a finding message. */
export function describeProblem(reading: { kind: DocumentProblemKind; issues: readonly string[] }): string {
  return `${reading.kind === 'schema' ? 'schema violation' : reading.kind === 'duplicate-key' ? 'duplicate key' : 'syntax error'}: ${summariseIssues(reading.issues, 3)}`;
}

/** The first `shown` issues on one line, and how many more there are. */
export function summariseIssues(issues: readonly string[], shown = 5): string {
  const first = issues.slice(0, shown).join('; ');
  return issues.length > shown ? `${first} (+${issues.length - shown} more)` : first;
}
