// Strict JSON parsing for everything the engine reads: syntax errors and duplicate object keys are
// refused. Duplicate keys are a classic signature-confusion trick (two parsers, two different values).

import { parse as parseAst, type AnyNode } from '@humanwhocodes/momoa';

export type StrictJsonErrorKind = 'syntax' | 'duplicate-key';

export class StrictJsonError extends Error {
  constructor(
    readonly kind: StrictJsonErrorKind,
    message: string,
    readonly line: number | null = null,
    readonly key: string | null = null,
  ) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

/** Parses UTF-8 JSON text, refusing duplicate keys at any depth. Returns the plain value. */
export function parseStrictJson(input: string | Uint8Array): unknown {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  let ast: AnyNode;
  try {
    ast = parseAst(text, { mode: 'json', ranges: false, tokens: false });
  } catch (error) {
    throw new StrictJsonError('syntax', `invalid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  assertNoDuplicateKeys(ast);
  return JSON.parse(text) as unknown;
}

/** parseStrictJson for readers that report rather than throw: the value, or why the bytes are not strict JSON. */
export function tryParseStrictJson(input: string | Uint8Array): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  try {
    return { ok: true, value: parseStrictJson(input) };
  } catch (error) {
    if (error instanceof StrictJsonError) return { ok: false, reason: error.message };
    return { ok: false, reason: `not UTF-8 JSON: ${(error as Error).message.split('\n')[0]}` };
  }
}

function assertNoDuplicateKeys(root: AnyNode): void {
  // Iterative walk: a hostile document nested 100,000 deep must not overflow the stack here.
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'Document':
        stack.push(node.body);
        break;
      case 'Object': {
        const seen = new Set<string>();
        for (const member of node.members) {
          const key = member.name.type === 'String' ? member.name.value : member.name.name;
          if (seen.has(key)) {
            throw new StrictJsonError(
              'duplicate-key',
              `duplicate key ${JSON.stringify(key)} at line ${member.name.loc.start.line}`,
              member.name.loc.start.line,
              key,
            );
          }
          seen.add(key);
          stack.push(member.value);
        }
        break;
      }
      case 'Array':
        for (const element of node.elements) stack.push(element.value);
        break;
      default:
        break;
    }
  }
}
