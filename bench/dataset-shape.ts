import type { DatasetSpecInput } from '../src/datasets/dataset-spec.js';
import type { BenchData } from './generate.js';

/** One feature column of the benchmark dataset: a feature of the home or away team. */
export interface DatasetColumnSpec {
  readonly name: string;
  readonly feature: string;
  readonly side: 'home' | 'away';
}

/** Dataset name of every benchmark build. */
export const BENCH_DATASET = 'bench_pit';

/**
 * The benchmark's dataset: every label game of the generated seasons, each feature for
 * both teams (`home_<f>`, `away_<f>`: features × 2 lookups per label), event-time mode.
 */
export function benchSpec(data: BenchData, version: string): DatasetSpecInput {
  return {
    name: BENCH_DATASET,
    version,
    sport: 'nfl',
    labels: { seasons: [data.seasons[0], data.seasons[1]], target: 'home_win', ties: 'exclude', label_offset: '1h' },
    features: data.featureRefs.map((feature) => ({ feature, role: 'both_teams' as const })),
    mode: 'event',
  };
}

/** The feature columns {@link benchSpec} produces, in file order. */
export function datasetColumnNames(data: BenchData): DatasetColumnSpec[] {
  return data.featureRefs.flatMap((feature) => {
    const stem = feature.slice(0, feature.indexOf('@'));
    return [
      { name: `home_${stem}`, feature, side: 'home' as const },
      { name: `away_${stem}`, feature, side: 'away' as const },
    ];
  });
}
