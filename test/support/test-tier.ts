/**
 * The test tiers (DESIGN.md §9, README "Testing"): `npm test` runs every property with a fixed
 * default number of random cases; `npm run test:stress` sets `PRECOG_STRESS=1` and runs the
 * full counts. Suites print their seed and counts, so any run can be repeated exactly.
 */
export const STRESS = process.env['PRECOG_STRESS'] === '1';

/** How many random cases a property runs in this tier. */
export function caseCount(byDefault: number, underStress: number): number {
  return STRESS ? underStress : byDefault;
}
