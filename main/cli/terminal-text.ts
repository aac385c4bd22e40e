// Untrusted text from a document, made safe for one line of a terminal.

/** Control characters (newlines, escape sequences) are shown escaped, so a document cannot forge output lines or drive the terminal. */
export function oneLine(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
