// Display formatting: sizes, rates, durations and short digests.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatRate(bytes: number, elapsedMs: number): string {
  if (elapsedMs <= 0) return '—';
  return `${formatBytes(Math.round((bytes * 1000) / elapsedMs))}/s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

export function shortDigest(hex: string | null): string {
  if (hex === null) return '—';
  return hex.length > 20 ? `${hex.slice(0, 12)}…${hex.slice(-6)}` : hex;
}

export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
