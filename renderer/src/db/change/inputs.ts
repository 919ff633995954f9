// What a change brings in from outside the store: a feature to create, the values a `restore`
// brings back, a photo to attach. A leaf module (types only), so the import bases
// (imported-base.ts, staged-base.ts) can name `NewFeature` without depending on the change path.
import type { Feature, Geometry, PropertyValue } from '../../../../shared/model';

/** A feature to create; the store fills in times and revision. */
export interface NewFeature {
  /** Stable id; a random UUID when absent. */
  id?: string;
  geometry: Geometry;
  properties: Record<string, PropertyValue>;
  /** Defaults to the layer's initial status. */
  status?: string;
  county?: number | null;
  demo?: boolean;
}

/** The values of a feature that a `restore` operation brings back (a journal snapshot fits). */
export type FeatureContent = Pick<Feature, 'geometry' | 'properties' | 'status' | 'county' | 'demo' | 'createdAt'>;

/** A photo (or other file) to attach; the store keeps the Blobs as they are, it never decodes them. */
export interface NewAttachment {
  /** Stable id; a random UUID when absent. */
  id?: string;
  blob: Blob;
  fileName: string;
  mediaType: string;
  /** A small preview made by the caller (e.g. drawn on a canvas). */
  thumbnail?: Blob | null;
  /** When the photo was first attached; the change's time when absent (sync keeps the original). */
  createdAt?: string;
}
