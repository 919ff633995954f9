// Finds the structure of a GeoJSON FeatureCollection in a stream of UTF-8 bytes — its top-level
// members and the elements of its `features` array — without decoding them: strings, escapes and
// nesting are followed byte by byte (JSON's structural characters are ASCII, so no UTF-8 byte of a
// character is mistaken for one). The complete elements are handed on in runs, for one JSON.parse
// each (formats/geojson-stream.ts); only a value split across chunks is copied.
import { ImportError } from './errors';
import { textDecoder } from './platform';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
/** Top-level members besides `features` that are kept (their values are small). */
const KEPT_MEMBERS = new Set(['type', 'crs', 'name']);
const MAX_KEPT_MEMBER_BYTES = 1 << 20;
/**
 * About how many bytes of features are decoded and parsed at once. Browsers hand over chunks of
 * 1-2 MB; one JSON.parse of that is slower than of 64 KB pieces (1M points in Node: 5.5 s in 1 MB
 * pieces, 3 s in 64 KB pieces: the text and the new objects no longer fit the caches and the
 * young generation).
 */
const RUN_BYTES = 1 << 16;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Where the last element of `features` in `chunk` (from `from`, an element's start) before `limit`
 * probably ends: just after a `}` that is followed by `,` and `{`, or by `]` (whitespace allowed).
 * -1 when none is seen near `limit`. A guess: the `}` may close something nested, or be inside a string.
 */
function lastElementEnd(chunk: Uint8Array, from: number, limit: number): number {
  const length = chunk.length;
  let close = limit;
  for (let tries = 0; tries < 64; tries += 1) {
    close = chunk.lastIndexOf(CLOSE_OBJECT, close - 1);
    if (close <= from) return -1;
    let next = close + 1;
    while (next < length && isWhitespace(chunk[next] as number)) next += 1;
    if (chunk[next] === CLOSE_ARRAY) return close + 1;
    if (chunk[next] !== COMMA) continue;
    next += 1;
    while (next < length && isWhitespace(chunk[next] as number)) next += 1;
    if (chunk[next] === OPEN_OBJECT) return close + 1;
  }
  return -1;
}

export function invalidGeoJson(zh: string, en: string, featureIndex?: number): ImportError {
  return new ImportError('invalid-geojson', { zh, en }, featureIndex !== undefined ? { featureIndex } : {});
}

/**
 * Finds the top-level members and the elements of the `features` array in a byte stream. Complete
 * elements are reported in runs: the bytes that hold them and each one's [start, end) in those bytes
 * (an element split across chunks is reported alone, once complete); a kept member's value with its
 * bytes; everything else is skipped.
 */
export class StructureScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Root level (depth 1): whether the next string is a member name. */
  private expectKey = false;
  private keyParts: Uint8Array[] | null = null;
  private keyLength = 0;
  private member: string | null = null;
  /** Capturing a value: the parts so far and the depth it started at. */
  private capture: { parts: Uint8Array[]; length: number; kind: 'element' | 'member'; name: string } | null = null;
  private captureStart = -1;
  private inFeatures = false;
  private featuresSeen = false;
  private rootSeen = false;
  private rootClosed = false;
  elements = 0;

  constructor(
    private readonly onElements: (bytes: Uint8Array, bounds: number[], firstIndex: number) => void,
    private readonly onMember: (name: string, bytes: Uint8Array) => void,
    /**
     * Takes the elements in `bytes[start, end)` if they parse as one JSON array (and returns how many
     * there were), or takes nothing and returns -1.
     */
    private readonly tryRun: (bytes: Uint8Array, start: number, end: number, firstIndex: number) => number,
  ) {}

  get sawFeatures(): boolean {
    return this.featuresSeen;
  }

  get complete(): boolean {
    return this.rootClosed;
  }

  feed(chunk: Uint8Array): void {
    const length = chunk.length;
    if (this.capture) this.captureStart = 0;
    let keyStart = this.keyParts ? 0 : -1;
    for (let i = 0; i < length; i += 1) {
      if (this.inFeatures && this.depth === 2 && this.capture === null && !this.inString) {
        // Between two elements of `features`: the fast path reads whole elements.
        i = this.scanElements(chunk, i);
        if (i >= length) break;
      }
      const byte = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.keyParts) {
            const part = chunk.subarray(keyStart, i);
            this.keyParts.push(part);
            this.keyLength += part.length;
            this.member = (textDecoder('utf-8') as NonNullable<ReturnType<typeof textDecoder>>).decode(concat(this.keyParts, this.keyLength));
            this.keyParts = null;
            keyStart = -1;
          }
        }
        continue;
      }
      if (isWhitespace(byte)) continue;
      if (this.rootClosed) throw invalidGeoJson('GeoJSON 对象结束后还有多余内容。', 'There is more content after the GeoJSON object ended.');
      if (!this.rootSeen) {
        if (byte !== OPEN_OBJECT) throw invalidGeoJson('文件不是 GeoJSON 对象（应以“{”开头）。', 'The file is not a GeoJSON object (it should start with "{").');
        this.rootSeen = true;
        this.depth = 1;
        this.expectKey = true;
        continue;
      }
      // A value starts at depth 1 (a member) or depth 2 inside `features` (an element).
      if (this.capture === null) {
        if (this.depth === 1 && this.member !== null && !this.expectKey && byte !== COLON && byte !== COMMA && byte !== CLOSE_OBJECT) {
          if (this.member === 'features') {
            if (byte !== OPEN_ARRAY) throw invalidGeoJson('FeatureCollection 的 features 不是数组。', 'The FeatureCollection\'s features member is not an array.');
            this.inFeatures = true;
            this.featuresSeen = true;
            this.depth = 2;
            this.member = null;
            continue;
          }
          if (KEPT_MEMBERS.has(this.member)) {
            this.capture = { parts: [], length: 0, kind: 'member', name: this.member };
            this.captureStart = i;
          }
        } else if (this.depth === 2 && this.inFeatures && byte !== COMMA && byte !== CLOSE_ARRAY) {
          if (byte !== OPEN_OBJECT) throw invalidGeoJson('不是 Feature 对象。', 'Not a Feature object.', this.elements);
          this.capture = { parts: [], length: 0, kind: 'element', name: '' };
          this.captureStart = i;
        }
      }
      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) {
            this.keyParts = [];
            this.keyLength = 0;
            keyStart = i + 1;
            this.expectKey = false;
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.depth += 1;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.depth -= 1;
          if (this.depth === 0) {
            this.rootClosed = true;
          } else if (this.depth === 1 && this.inFeatures) {
            this.inFeatures = false;
          } else if (this.capture?.kind === 'element' && this.depth === 2) {
            this.finishCapture(chunk, i + 1);
          }
          break;
        case COMMA:
          if (this.depth === 1) {
            if (this.capture?.kind === 'member') this.finishCapture(chunk, i);
            this.expectKey = true;
            this.member = null;
          }
          break;
        default:
          break;
      }
      if (this.depth === 0 && this.capture?.kind === 'member') this.finishCapture(chunk, i);
    }
    if (this.keyParts && keyStart >= 0) {
      const part = chunk.slice(keyStart);
      this.keyParts.push(part);
      this.keyLength += part.length;
    }
    if (this.capture) {
      // The value goes on in the next chunk: keep its bytes so far (a copy: the chunk may be reused).
      const part = chunk.slice(this.captureStart);
      this.capture.parts.push(part);
      this.capture.length += part.length;
      if (this.capture.kind === 'member' && this.capture.length > MAX_KEPT_MEMBER_BYTES) {
        throw invalidGeoJson(`GeoJSON 的“${this.capture.name}”成员过大。`, `The GeoJSON member "${this.capture.name}" is too large.`);
      }
    }
  }

  /**
   * From `from`, between two elements of `features` (depth 2, outside strings, nothing captured):
   * finds the complete elements in `chunk` and reports them as one run. Returns the index of the `]`
   * that closes `features`, or `chunk.length` when the chunk ends (inside an element: its start is
   * captured and the state set for `feed` to go on in the next chunk). Same rules as `feed`: an
   * element must start with `{`; brackets are only counted, JSON.parse checks them.
   */
  private scanElements(chunk: Uint8Array, from: number): number {
    const length = chunk.length;
    let bounds: number[] = [];
    let i = from;
    for (;;) {
      while (i < length && (chunk[i] === COMMA || isWhitespace(chunk[i] as number))) i += 1;
      if (chunk[i] !== OPEN_OBJECT) break;
      // A guess first, without reading every byte: where the last complete element in the next
      // RUN_BYTES probably ends. If the elements up to there parse as one JSON array, that is where
      // one ends (a valid JSON prefix can only end where the file's own parse is between two
      // elements); otherwise (a wrong guess, or an error in them) the bytes are scanned below.
      const end = lastElementEnd(chunk, i, Math.min(length, i + RUN_BYTES));
      if (end <= i) break;
      const count = this.tryRun(chunk, i, end, this.elements);
      if (count <= 0) break;
      this.elements += count;
      i = end;
    }
    while (i < length) {
      const byte = chunk[i] as number;
      if (byte === OPEN_OBJECT) {
        const start = i;
        let depth = 1;
        let inString = false;
        let escaped = false;
        i += 1;
        element: while (i < length) {
          const at = chunk[i] as number;
          i += 1;
          if (at === QUOTE) {
            for (;;) {
              if (i >= length) {
                inString = true;
                break element;
              }
              const inside = chunk[i] as number;
              i += 1;
              if (inside === QUOTE) break;
              if (inside === BACKSLASH) {
                if (i >= length) {
                  inString = true;
                  escaped = true;
                  break element;
                }
                i += 1;
              }
            }
          } else if (at === OPEN_OBJECT || at === OPEN_ARRAY) {
            depth += 1;
          } else if (at === CLOSE_OBJECT || at === CLOSE_ARRAY) {
            depth -= 1;
            if (depth === 0) break;
          }
        }
        if (depth === 0) {
          bounds.push(start, i);
          if (i - (bounds[0] as number) >= RUN_BYTES) {
            this.emit(chunk, bounds);
            bounds = [];
          }
          continue;
        }
        // The element goes on in the next chunk.
        this.emit(chunk, bounds);
        this.depth = 2 + depth;
        this.inString = inString;
        this.escaped = escaped;
        this.capture = { parts: [], length: 0, kind: 'element', name: '' };
        this.captureStart = start;
        return length;
      }
      if (byte === COMMA || isWhitespace(byte)) {
        i += 1;
        continue;
      }
      // The elements before come first: an error in them is the one to report.
      this.emit(chunk, bounds);
      if (byte === CLOSE_ARRAY) return i;
      throw invalidGeoJson('不是 Feature 对象。', 'Not a Feature object.', this.elements);
    }
    this.emit(chunk, bounds);
    return length;
  }

  private emit(bytes: Uint8Array, bounds: number[]): void {
    if (bounds.length === 0) return;
    this.onElements(bytes, bounds, this.elements);
    this.elements += bounds.length / 2;
  }

  private finishCapture(chunk: Uint8Array, end: number): void {
    const capture = this.capture as NonNullable<typeof this.capture>;
    const tail = chunk.subarray(this.captureStart, end);
    const bytes = capture.parts.length === 0 ? tail : concat([...capture.parts, tail], capture.length + tail.length);
    this.capture = null;
    this.captureStart = -1;
    if (capture.kind === 'element') {
      this.emit(bytes, [0, bytes.length]);
    } else {
      this.onMember(capture.name, bytes);
    }
  }
}
