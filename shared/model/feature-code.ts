// Readable codes for features made on a device: `<layer prefix>-<device tag>-<sequence>`, e.g.
// `HS-W-A4AA5E-0007`. The tag comes from the device's random id and the sequence is the device's
// own counter per layer, so two devices never need to agree on anything to stay apart (two
// devices share a tag with a chance of about n²/33 million for n devices). The feature's id stays
// a UUID, for the store and for sync; the code is what people read, say and search for.

/** Characters of the device id that make the tag (hex, upper-case). */
export const DEVICE_TAG_LENGTH = 6;

/** A device's short tag: the first hex digits of its id, e.g. `A4AA5E` for `a4aa5e55-…`. */
export function deviceTag(deviceId: string): string {
  const hex = deviceId.replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (hex.length < DEVICE_TAG_LENGTH) throw new RangeError(`device id "${deviceId}" has fewer than ${DEVICE_TAG_LENGTH} hex digits`);
  return hex.slice(0, DEVICE_TAG_LENGTH);
}

/** The code of the `sequence`-th feature (from 1) a device made in a layer with this prefix. */
export function makeFeatureCode(prefix: string, deviceId: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`a feature code's sequence is a whole number from 1, not ${sequence}`);
  return `${prefix}-${deviceTag(deviceId)}-${String(sequence).padStart(4, '0')}`;
}
