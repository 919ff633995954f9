// The pull cursor: base64url of `{"v":1,"s":{"<county>":<last seq seen>,…}}`. Clients treat it
// as opaque; the hub checks it fully, since a mangled cursor must never skip or repeat rows.

export type PullCursor = Map<number, number>;

export function encodeCursor(cursor: PullCursor): string {
  const seen: Record<string, number> = {};
  for (const [county, seq] of [...cursor].sort((a, b) => a[0] - b[0])) seen[String(county)] = seq;
  return Buffer.from(JSON.stringify({ v: 1, s: seen }), 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this hub gives out. */
export function decodeCursor(text: string | undefined): PullCursor | null {
  if (text === undefined) return new Map();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { v, s, ...rest } = value as Record<string, unknown>;
  if (v !== 1 || Object.keys(rest).length > 0 || typeof s !== 'object' || s === null || Array.isArray(s)) return null;
  const cursor: PullCursor = new Map();
  for (const [key, seq] of Object.entries(s)) {
    if (!/^(0|[1-9]\d{5})$/.test(key)) return null;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return null;
    cursor.set(Number(key), seq);
  }
  return cursor;
}
