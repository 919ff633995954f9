// Bytes as a one-byte string (char code = byte) and back: how the store keeps binary data in
// plain-JSON records (the Bloom filters, the id index). `String.fromCharCode.apply` over a typed
// array, a few thousand at a time: ≈ 6× faster in V8 than spreading it (which iterates), and far
// below every engine's argument limit.
const SLICE = 4_096;

export function bytesToBinaryString(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += SLICE) text += String.fromCharCode.apply(null, bytes.subarray(start, start + SLICE) as unknown as number[]);
  return text;
}
