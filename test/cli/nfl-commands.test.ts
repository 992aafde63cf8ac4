import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerEloCommands } from '../../src/cli/elo-commands.js';
import { registerImportCommands } from '../../src/cli/import-commands.js';
import { InputFileMissingError, UsageError } from '../../src/cli/output.js';
import { tempDir, writeFile } from '../support/fixtures.js';

const GAMES =
  'date,season,neutral,playoff,team1,team2,elo1,elo2,elo_prob1,score1,score2,result1\n' +
  '2019-09-08,2019,0,0,KC,JAX,1600,1400,0.8,40,26,1\n' +
  '2019-09-15,2019,0,0,HOU,JAX,1500,1390,0.7,13,12,1\n' +
  '2019-09-22,2019,0,0,KC,HOU,1610,1510,0.7,33,28,1\n';
const SCORES =
  'schedule_date,schedule_season,schedule_week,schedule_playoff,team_home,score_home,score_away,team_away,team_favorite_id,' +
  'spread_favorite,over_under_line,stadium,stadium_neutral,weather_temperature,weather_wind_mph,weather_humidity,weather_detail\n' +
  '9/8/2019,2019,1,FALSE,Kansas City Chiefs,40,26,Jacksonville Jaguars,KC,-3.5,51.5,Arrowhead Stadium,FALSE,,,,\n' +
  '9/15/2019,2019,2,FALSE,Houston Texans,13,12,Jacksonville Jaguars,HOU,-9,43,NRG Stadium,FALSE,,,,\n' +
  '9/22/2019,2019,3,FALSE,Kansas City Chiefs,33,28,Houston Texans,KC,-4,53,Arrowhead Stadium,FALSE,,,,\n';
const TEAMS =
  'team_name,team_name_short,team_id,team_id_pfr\n' +
  'Kansas City Chiefs,Chiefs,KC,KAN\nHouston Texans,Texans,HOU,HTX\nJacksonville Jaguars,Jaguars,JAX,JAX\n';

/** Runs one command of a fresh program holding only the two new groups; returns its stdout. */
async function run(...argv: string[]): Promise<string> {
  const program = new Command('precog').exitOverride();
  registerImportCommands(program);
  registerEloCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('precog import / elo commands (embedded database)', () => {
  let dir: string;
  const saved = { home: process.env['PRECOG_HOME'], url: process.env['DATABASE_URL'] };
  beforeAll(() => {
    dir = tempDir('precog-cli-nfl-');
    process.env['PRECOG_HOME'] = path.join(dir, 'home');
    delete process.env['DATABASE_URL'];
  });
  afterAll(() => {
    if (saved.home === undefined) delete process.env['PRECOG_HOME'];
    else process.env['PRECOG_HOME'] = saved.home;
    if (saved.url !== undefined) process.env['DATABASE_URL'] = saved.url;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports both files, runs Elo and writes predictions, with --json reports', async () => {
    const games = writeFile(dir, 'games.csv', GAMES);
    const scores = writeFile(dir, 'scores.csv', SCORES);
    const teams = writeFile(dir, 'teams.csv', TEAMS);
    const preds = path.join(dir, 'preds.csv');

    const imported = JSON.parse(await run('import', 'nfl-538', games, '--json'));
    expect(imported).toMatchObject({ games: 3, teams: 123, events: { inserted: 3 }, features: { inserted: 9 } });

    const lines = JSON.parse(await run('import', 'spreadspoke', scores, '--teams', teams, '--markets', '--json'));
    expect(lines).toMatchObject({
      games: 3,
      matchRate: { games: 3, matched: 3, rate: 1, misses: [] },
      matching: { matched: 3, unmatched: 0 },
      events: { updated: 3 },
      features: { inserted: 9 },
      markets: { inserted: 3 },
    });

    const elo = JSON.parse(await run('elo', 'run', '--preset', '538', '--json', '--out', preds));
    expect(elo).toMatchObject({ version: '538', games: 3, comparedVs538: 3, out: preds, initialRatings: { source: 'store' } });
    expect(elo.predictions).toBeUndefined();
    expect(fs.readFileSync(preds, 'utf8').split('\n').slice(0, 2)).toEqual([
      'date,season,team1,team2,prob1',
      // 1600 vs 1400 + 65 at home.
      `2019-09-08,2019,KC,JAX,${1 / (10 ** (-265 / 400) + 1)}`,
    ]);

    const text = await run('import', 'nfl-538', games);
    expect(text).toContain('events: 0 new, 0 updated, 3 unchanged');
  });

  it('reports usage errors, and a missing input file, before touching the database', async () => {
    await expect(run('elo', 'run', '--param', 'k=abc')).rejects.toThrow(UsageError);
    await expect(run('elo', 'run', '--preset', 'fivethirtyeight')).rejects.toThrow(UsageError);
    // A missing file is a failure of the work (exit 1), not of the command line.
    await expect(run('import', 'nfl-538', path.join(dir, 'missing.csv'))).rejects.toThrow(InputFileMissingError);
  });
});
