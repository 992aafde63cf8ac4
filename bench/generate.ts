import fs from 'node:fs';
import path from 'node:path';
import { createRandom, type Random } from './random.js';
import { FIRST_SEASON, featureName, featureRowCount, teamCode, type BenchScale } from './scale.js';

/** Bump when the generated files change shape or content: stale caches are regenerated. */
const GENERATOR_VERSION = 1;

/** Where `bench/.cache` lives unless a caller (the tests) says otherwise. */
export const DEFAULT_CACHE_ROOT = path.join(import.meta.dirname, '.cache');

/** The files of one generated data set and what they hold. */
export interface BenchData {
  readonly scale: BenchScale;
  readonly dir: string;
  /** Ingest file: `feature,entity,timestamp,value,available_at`, in timestamp order. */
  readonly featuresCsv: string;
  /** Label games: `event_id,season,kickoff,home,away,home_score,away_score`. */
  readonly gamesCsv: string;
  /** More games of the same shape, added for the peak-RSS build (may be empty). */
  readonly rssGamesCsv: string;
  readonly featureRows: number;
  readonly games: number;
  readonly rssGames: number;
  /** `f00@1`, … */
  readonly featureRefs: readonly string[];
  readonly teamCodes: readonly string[];
  readonly seasons: readonly [number, number];
}

interface Manifest {
  readonly version: number;
  readonly scale: BenchScale;
  readonly featureRows: number;
  readonly games: number;
  readonly rssGames: number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

function seasonRange(scale: BenchScale): [number, number] {
  return [FIRST_SEASON, FIRST_SEASON + scale.years - 1];
}

/** Epoch ms of the start of a season's year and of the year after the last one. */
function timeSpan(scale: BenchScale): { start: number; end: number } {
  const [first, last] = seasonRange(scale);
  return { start: Date.UTC(first, 0, 1), end: Date.UTC(last + 1, 0, 1) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Buffers text and writes it in large chunks. */
function createTextFile(file: string) {
  const fd = fs.openSync(file, 'w');
  let buffer = '';
  return {
    write(text: string) {
      buffer += text;
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
    },
    close() {
      if (buffer) fs.writeSync(fd, buffer);
      fs.closeSync(fd);
    },
  };
}

/**
 * Feature history: per (feature, team) a random walk of `valuesPerSeries` values at
 * distinct whole seconds spread over the seasons, each known 0–6 h after its timestamp.
 * Values have at most 4 decimals, so every engine parses the text to the same double.
 */
function writeFeatures(scale: BenchScale, random: Random, file: string): number {
  const { start, end } = timeSpan(scale);
  const seconds = Math.floor((end - start) / SECOND);
  const rows: { ts: number; line: string }[] = [];
  for (let f = 0; f < scale.features; f++) {
    const ref = `${featureName(f)}@1`;
    for (let t = 0; t < scale.teams; t++) {
      const times = new Set<number>();
      while (times.size < scale.valuesPerSeries) times.add(random.int(0, seconds));
      let value = 1500 + 100 * (f + 1) * (random.next() - 0.5);
      for (const s of [...times].sort((a, b) => a - b)) {
        value += 10 * (random.next() - 0.5);
        const ts = start + s * SECOND;
        const availableAt = ts + random.int(0, 6 * 3600) * SECOND;
        const text = String(Math.round(value * 10_000) / 10_000);
        rows.push({ ts, line: `${ref},${teamCode(t)},${iso(ts)},${text},${iso(availableAt)}\n` });
      }
    }
  }
  rows.sort((a, b) => a.ts - b.ts || (a.line < b.line ? -1 : 1));
  const out = createTextFile(file);
  out.write('feature,entity,timestamp,value,available_at\n');
  for (const r of rows) out.write(r.line);
  out.close();
  return rows.length;
}

/**
 * Games: two distinct teams, a kickoff on a whole minute inside the seasons, and a final
 * score that is never a tie (so every game is a label whatever the spec's tie rule).
 */
function writeGames(scale: BenchScale, random: Random, file: string, count: number, idPrefix: string): number {
  const { start, end } = timeSpan(scale);
  const minutes = Math.floor((end - start) / 60_000);
  const out = createTextFile(file);
  out.write('event_id,season,kickoff,home,away,home_score,away_score\n');
  for (let i = 0; i < count; i++) {
    const home = random.int(0, scale.teams);
    const away = (home + random.int(1, scale.teams)) % scale.teams;
    const kickoff = start + random.int(60, minutes) * 60_000;
    const season = new Date(kickoff).getUTCFullYear();
    const homeScore = random.int(0, 45);
    let awayScore = random.int(0, 45);
    if (awayScore === homeScore) awayScore += 1 + random.int(0, 7);
    const id = `${idPrefix}${String(i).padStart(7, '0')}`;
    out.write(`${id},${season},${iso(kickoff)},${teamCode(home)},${teamCode(away)},${homeScore},${awayScore}\n`);
  }
  out.close();
  return count;
}

function describe(scale: BenchScale, dir: string, manifest: Manifest): BenchData {
  return {
    scale,
    dir,
    featuresCsv: path.join(dir, 'features.csv'),
    gamesCsv: path.join(dir, 'games.csv'),
    rssGamesCsv: path.join(dir, 'rss-games.csv'),
    featureRows: manifest.featureRows,
    games: manifest.games,
    rssGames: manifest.rssGames,
    featureRefs: Array.from({ length: scale.features }, (_, f) => `${featureName(f)}@1`),
    teamCodes: Array.from({ length: scale.teams }, (_, t) => teamCode(t)),
    seasons: seasonRange(scale),
  };
}

/**
 * Returns the data set of a scale, generating it into `<cacheRoot>/<scale.name>/` unless a
 * complete one of the same scale and generator version is there. Generation goes to a
 * scratch folder renamed into place, so an interrupted run never leaves a half cache.
 * The same scale always gives byte-identical files.
 */
export function ensureBenchData(scale: BenchScale, cacheRoot: string = DEFAULT_CACHE_ROOT): BenchData {
  const dir = path.join(cacheRoot, scale.name);
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.version === GENERATOR_VERSION && JSON.stringify(manifest.scale) === JSON.stringify(scale)) {
      return describe(scale, dir, manifest);
    }
  }
  fs.mkdirSync(cacheRoot, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cacheRoot, `.${scale.name}-`));
  const random = createRandom(scale.seed);
  const featureRows = writeFeatures(scale, random, path.join(scratch, 'features.csv'));
  if (featureRows !== featureRowCount(scale)) throw new Error(`generated ${featureRows} feature rows`);
  const games = writeGames(scale, random, path.join(scratch, 'games.csv'), scale.labels, 'G');
  const extra = Math.max(0, scale.rssLabels - scale.labels);
  const rssGames = writeGames(scale, random, path.join(scratch, 'rss-games.csv'), extra, 'R');
  const manifest: Manifest = { version: GENERATOR_VERSION, scale, featureRows, games, rssGames };
  fs.writeFileSync(path.join(scratch, 'manifest.json'), JSON.stringify(manifest, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(scratch, dir);
  return describe(scale, dir, manifest);
}
