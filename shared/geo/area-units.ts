/** 1 市亩 (mu) = 10,000/15 m² ≈ 666.67 m²; 15 mu = 1 hectare. */
export const SQUARE_METERS_PER_MU = 10_000 / 15;

export function squareMetersToMu(squareMeters: number): number {
  return squareMeters / SQUARE_METERS_PER_MU;
}

export function muToSquareMeters(mu: number): number {
  return mu * SQUARE_METERS_PER_MU;
}
