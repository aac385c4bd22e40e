// The engine needs the Node that sigstore-js 4 declares (docs/runtime.md): 22.22.2 or later in the 22
// line, 24.15 or later in the 24 line, any later major. The app checks the Node inside Electron at start.

export function meetsEngineNode(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) return false;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major === 22) return minor > 22 || (minor === 22 && patch >= 2);
  if (major === 23) return false;
  if (major === 24) return minor >= 15;
  return major > 24;
}
