// RFC 7946 winding for the editor's results: exterior rings counterclockwise, holes clockwise.
// terra-draw applies the same rule when it closes a polygon itself (click on the first vertex or
// double-click); finishing with Enter goes through the editor, so both ways give the same ring.
import type { Polygon, Position } from 'geojson';

function signedArea(ring: readonly Position[]): number {
  let twice = 0;
  for (let index = 1; index < ring.length; index++) {
    const [x0, y0] = ring[index - 1]!;
    const [x1, y1] = ring[index]!;
    twice += x0! * y1! - x1! * y0!;
  }
  return twice / 2;
}

function oriented(ring: Position[], counterclockwise: boolean): Position[] {
  return signedArea(ring) > 0 === counterclockwise ? ring : [...ring].reverse();
}

export function withRightHandRule(polygon: Polygon): Polygon {
  return { type: 'Polygon', coordinates: polygon.coordinates.map((ring, index) => oriented(ring, index === 0)) };
}
