// Strict JSON parsing for everything the engine reads: syntax errors and duplicate object keys are
// refused. Duplicate keys are a classic signature-confusion trick (two parsers, two different values).
// JSON.parse (native) checks the syntax and builds the value; @streamparser/json's streaming tokenizer
// then walks the same text for duplicate keys, keeping only the keys of the objects still open, so
// memory stays near the size of the value itself (an AST of a 25 MB document took over 1 GB).

import Tokenizer from '@streamparser/json/tokenizer.js';
import TokenType from '@streamparser/json/utils/types/tokenType.js';

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
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new StrictJsonError('syntax', `invalid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  assertNoDuplicateKeys(text);
  return value;
}

/** parseStrictJson for readers that report rather than throw: the value, or why the bytes are not strict JSON. */
export function tryParseStrictJson(input: string | Uint8Array): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly kind: StrictJsonErrorKind; readonly reason: string } {
  try {
    return { ok: true, value: parseStrictJson(input) };
  } catch (error) {
    if (error instanceof StrictJsonError) return { ok: false, kind: error.kind, reason: error.message };
    return { ok: false, kind: 'syntax', reason: `not UTF-8 JSON: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Deeper nesting is refused: readers and validators downstream recurse, and no evidence format needs it. */
export const MAX_DEPTH = 256;

interface OpenObject {
  readonly keys: Set<string>;
  /** The next string token is a key (after `{` or a `,` of this object). */
  expectKey: boolean;
}

/**
 * One pass over tokens of text JSON.parse has accepted. The stack holds one entry per open container
 * (null for an array), so depth costs no recursion and only open objects' keys are kept.
 */
function assertNoDuplicateKeys(text: string): void {
  const stack: (OpenObject | null)[] = [];
  const tokenizer = new Tokenizer({ stringBufferSize: 0 });
  let duplicate: { key: string; offset: number } | null = null;
  let tooDeep: number | null = null;
  tokenizer.onToken = ({ token, value, offset }) => {
    if (duplicate !== null || tooDeep !== null) return;
    const top = stack.length === 0 ? null : stack[stack.length - 1]!;
    if ((token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) && stack.length >= MAX_DEPTH) {
      tooDeep = offset;
      return;
    }
    switch (token) {
      case TokenType.LEFT_BRACE:
        stack.push({ keys: new Set(), expectKey: true });
        return;
      case TokenType.LEFT_BRACKET:
        stack.push(null);
        return;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        stack.pop();
        return;
      case TokenType.COMMA:
        if (top !== null) top.expectKey = true;
        return;
      case TokenType.STRING:
        if (top === null || !top.expectKey) return;
        top.expectKey = false;
        if (top.keys.has(value as string)) duplicate = { key: value as string, offset };
        else top.keys.add(value as string);
        return;
      default:
        return;
    }
  };
  tokenizer.onError = (error) => {
    throw new StrictJsonError('syntax', `invalid JSON: ${error.message}`);
  };
  tokenizer.write(text);
  tokenizer.end();
  if (tooDeep !== null) throw new StrictJsonError('syntax', `invalid JSON: nested deeper than ${MAX_DEPTH} levels at line ${lineAt(text, tooDeep)} (no evidence document needs that; recursive readers would overflow)`, lineAt(text, tooDeep));
  if (duplicate !== null) {
    const { key, offset } = duplicate;
    const line = lineAt(text, offset);
    throw new StrictJsonError('duplicate-key', `duplicate key ${JSON.stringify(key)} at line ${line}`, line, key);
  }
}

/** 1-based line of a byte offset (the tokenizer counts UTF-8 bytes of the text it was given). */
function lineAt(text: string, offset: number): number {
  const bytes = Buffer.from(text, 'utf8').subarray(0, offset);
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) line += 1;
  return line;
}
