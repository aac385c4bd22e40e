// Canonical JSON as securesystemslib defines it (the encoding in-toto classic metadata is signed over):
// objects with keys sorted by code point, no whitespace, strings escaping only `"` and `\`, integers
// only (a float cannot be signed), and true, false, null. The result is UTF-8.

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(encode(value, '$'), 'utf8');
}

function encode(value: unknown, where: string): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`${where}: ${value} is not an integer (canonical JSON has no floats)`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => encode(item, `${where}[${i}]`)).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort(compareCodePoints);
    return `{${keys.map((k) => `${encode(k, where)}:${encode((value as Record<string, unknown>)[k], `${where}.${k}`)}`).join(',')}}`;
  }
  throw new CanonicalJsonError(`${where}: a ${typeof value} cannot be encoded`);
}

/** Python sorts str keys by code point; JavaScript's default sort compares UTF-16 code units. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
