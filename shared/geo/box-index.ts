import Flatbush from 'flatbush';
import type { BoundingBox } from './bbox';

/** A static spatial index of boxes (a packed Hilbert R-tree, flatbush): built once, queried often. */
export interface BoxIndex {
  readonly size: number;
  /** Indices (in input order numbering) of the boxes that intersect or touch `box`, in no particular order. */
  search(box: BoundingBox): number[];
}

/**
 * Indexes boxes `[west, south, east, north]` (a point is a box of zero size). Boxes that are
 * null — features without an extent — are never found. Inputs are never modified.
 */
export function boxIndex(boxes: readonly (BoundingBox | null)[]): BoxIndex {
  const present: number[] = [];
  boxes.forEach((box, index) => {
    if (box !== null) present.push(index);
  });
  if (present.length === 0) return { size: 0, search: () => [] };
  const tree = new Flatbush(present.length);
  for (const index of present) {
    const [west, south, east, north] = boxes[index] as BoundingBox;
    tree.add(west, south, east, north);
  }
  tree.finish();
  const identity = present.length === boxes.length;
  return {
    size: present.length,
    search: ([west, south, east, north]) => {
      const found = tree.search(west, south, east, north);
      return identity ? found : found.map((slot) => present[slot] as number);
    },
  };
}

/**
 * The same for points `[longitude, latitude]`, without allocating a box per point. Points with
 * a coordinate that is not a finite number are left out (never found).
 */
export function pointIndex(points: readonly (readonly number[])[]): BoxIndex {
  const present: number[] = [];
  points.forEach((point, index) => {
    if (Number.isFinite(point[0]) && Number.isFinite(point[1])) present.push(index);
  });
  if (present.length === 0) return { size: 0, search: () => [] };
  const tree = new Flatbush(present.length);
  for (const index of present) {
    const point = points[index] as readonly number[];
    tree.add(point[0] as number, point[1] as number);
  }
  tree.finish();
  const identity = present.length === points.length;
  return {
    size: present.length,
    search: ([west, south, east, north]) => {
      const found = tree.search(west, south, east, north);
      return identity ? found : found.map((slot) => present[slot] as number);
    },
  };
}
