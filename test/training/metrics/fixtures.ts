import fc from 'fast-check';

import { OUTCOMES, type Prediction } from '../../../src/training/metrics/prediction.js';

/** Four hand-scored predictions: a hit, a hit, a miss and a tie at a coin flip. */
export const SAMPLE: readonly Prediction[] = [
  { probability: 0.8, outcome: 1 },
  { probability: 0.3, outcome: 0 },
  { probability: 0.6, outcome: 0 },
  { probability: 0.5, outcome: 0.5 },
];

/** Any valid prediction. */
export const arbPrediction: fc.Arbitrary<Prediction> = fc.record({
  probability: fc.double({ min: 0, max: 1, noNaN: true }),
  outcome: fc.constantFrom(...OUTCOMES),
});

/** A prediction that is exactly right: probability 0 or 1, matching the outcome. */
export const arbPerfect: fc.Arbitrary<Prediction> = fc
  .constantFrom(0, 1)
  .map((o) => ({ probability: o, outcome: o === 1 ? 1 : 0 }));
