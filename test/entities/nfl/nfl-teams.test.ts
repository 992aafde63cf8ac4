import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { defaultNflTeamsPath, loadNflTeams, parseNflTeamsCsv, resolveTeam } from '../../../src/entities/nfl/nfl-teams.js';
import { findPackageRoot, PackageRootNotFoundError } from '../../../src/package-root.js';

const HEADER = 'code,name,conference,division,active,first_season,last_season,aliases\n';

describe('packaged franchise table', () => {
  const teams = loadNflTeams();

  it('has the 32 current franchises, two conferences of four four-team divisions', () => {
    const active = teams.franchises.filter((f) => f.active);
    expect(active).toHaveLength(32);
    const perDivision = new Map<string, number>();
    for (const f of active) perDivision.set(f.division ?? '', (perDivision.get(f.division ?? '') ?? 0) + 1);
    expect([...perDivision.values()]).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('never lets one code, name or alias name two franchises', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const f of teams.franchises) {
      for (const alias of new Set([f.code, f.name, ...f.aliases].map((a) => a.toLowerCase()))) {
        const other = owner.get(alias);
        if (other !== undefined && other !== f.code) clashes.push(`${alias}: ${other} and ${f.code}`);
        owner.set(alias, f.code);
      }
    }
    expect(clashes).toEqual([]);
    for (const [alias, code] of owner) expect(teams.resolve(alias)).toBe(code);
  });

  it('resolves case-insensitively and ignores surrounding blanks', () => {
    expect(resolveTeam('  las vegas RAIDERS ')).toBe('OAK');
    expect(resolveTeam('wsh')).toBe('WSH');
  });

  it('handles the README quirks: new names, LVR, WAS vs WSH, PICK and empty', () => {
    expect(resolveTeam('Washington Football Team')).toBe('WSH');
    expect(resolveTeam('Washington Redskins')).toBe('WSH');
    expect(resolveTeam('WAS')).toBe('WSH');
    expect(resolveTeam('WSH')).toBe('WSH');
    expect(resolveTeam('Las Vegas Raiders')).toBe('OAK');
    expect(resolveTeam('Oakland Raiders')).toBe('OAK');
    expect(resolveTeam('LVR')).toBe('OAK');
    expect(resolveTeam('PICK')).toBeUndefined();
    expect(resolveTeam('')).toBeUndefined();
  });

  it('keeps relocated franchises whole', () => {
    expect(resolveTeam('St. Louis Cardinals')).toBe('ARI');
    expect(resolveTeam('Baltimore Colts')).toBe('IND');
    expect(resolveTeam('Houston Oilers')).toBe('TEN');
    expect(resolveTeam('Houston Texans')).toBe('HOU');
    expect(resolveTeam('San Diego Chargers')).toBe('LAC');
    expect(resolveTeam('St. Louis Rams')).toBe('LAR');
    expect(resolveTeam('Boston Patriots')).toBe('NE');
    expect(resolveTeam('Baltimore Ravens')).toBe('BAL');
  });

  it('lives under the package root', () => {
    expect(defaultNflTeamsPath()).toBe(path.resolve(import.meta.dirname, '../../../data/nfl-teams.csv'));
  });
});

describe('parseNflTeamsCsv', () => {
  it('rejects an alias that names two franchises, naming line, column and value', () => {
    const text =
      HEADER +
      'KC,Kansas City Chiefs,AFC,AFC West,true,1960,,Dallas Texans\n' +
      'DTX,Dallas Texans (NFL),,,false,1952,1952,Dallas texans\n';
    expect(() => parseNflTeamsCsv(text, 'teams.csv')).toThrow(InvalidInputError);
    try {
      parseNflTeamsCsv(text, 'teams.csv');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).problems).toEqual([
        { file: 'teams.csv', line: 3, column: 'aliases', value: 'Dallas texans', reason: 'ambiguous: also names KC (line 2)' },
      ]);
    }
  });

  it('rejects bad fields: conference of a defunct team, a bad flag, a duplicate code', () => {
    const text =
      HEADER +
      'AAA,Alpha,,,false,1920,1921,\n' +
      'BBB,Beta,NFC,NFC East,maybe,1920,,\n' +
      'AAA,Gamma,,,false,1920,1920,\n' +
      'CCC,Delta,AFC,,false,1920,1921,\n';
    let caught: unknown;
    try {
      parseNflTeamsCsv(text, 'teams.csv');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    const problems = (caught as InvalidInputError).problems.map((p) => [p.line, p.column, p.value]);
    expect(problems).toEqual([
      [3, 'active', 'maybe'],
      [4, 'code', 'AAA'],
      [5, 'conference', 'AFC'],
    ]);
  });
});

describe('findPackageRoot', () => {
  it('walks up from a compiled dist/ module to the folder holding package.json', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-root-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{}');
    const moduleDir = path.join(root, 'dist', 'entities', 'nfl');
    fs.mkdirSync(moduleDir, { recursive: true });
    try {
      expect(findPackageRoot(pathToFileURL(path.join(moduleDir, 'nfl-teams.js')))).toBe(root);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('throws PackageRootNotFoundError when there is none', () => {
    expect(() => findPackageRoot(pathToFileURL('/nfl-teams.js'))).toThrow(PackageRootNotFoundError);
  });
});
