import { defaultKickoff } from '../nfl/kickoff.js';
import { simulateMarket, type SyntheticMarket } from './league-markets.js';
import { parseLeagueOptions, type LeagueOptions, type LeagueOptionsInput, type PlayerSpot } from './league-options.js';
import { pairWeek, weekSunday } from './league-schedule.js';
import { drawScore, outcomeProbabilities } from './league-scores.js';
import { syntheticTeams, type SyntheticTeam } from './league-teams.js';
import { createRandom, deriveSeed, type SeededRandom } from './seeded-random.js';

/** A player of a synthetic team (one per roster spot of the options). */
export interface SyntheticPlayer {
  /** `syn-<team>-<position>`, e.g. `syn-S01-QB`: the players table's ingestion key. */
  readonly externalId: string;
  readonly team: string;
  readonly name: string;
  readonly position: string;
  /** Points the team's effective strength loses while he is out. */
  readonly impact: number;
}

/** One injury: the weeks of one season a player misses (consecutive). */
export interface SyntheticInjury {
  readonly player: string;
  readonly team: string;
  readonly position: string;
  readonly season: number;
  readonly weeks: readonly number[];
}

/** A team's latent strength (points of margin against an average team) going into a week. */
export interface TeamStrength {
  readonly season: number;
  readonly week: number;
  readonly team: string;
  /** The healthy team: mean 0 across the league at each season's start. */
  readonly strength: number;
  /** `strength` minus the impact of the team's players out that week. */
  readonly effectiveStrength: number;
}

/** One game, with the truth behind it. */
export interface SyntheticGame {
  /** `syn-<season>-w<week>-<away>-at-<home>`. */
  readonly eventId: string;
  readonly season: number;
  readonly week: number;
  /** The Sunday it is played (`YYYY-MM-DD`). */
  readonly date: string;
  /** `defaultKickoff(date)`: 18:00 UTC. */
  readonly kickoff: Date;
  readonly home: string;
  readonly away: string;
  readonly homeScore: number;
  readonly awayScore: number;
  /** Latent strengths going into the game (healthy, then with injuries). */
  readonly homeStrength: number;
  readonly awayStrength: number;
  readonly homeEffectiveStrength: number;
  readonly awayEffectiveStrength: number;
  /** External ids of the players out. */
  readonly homeOut: readonly string[];
  readonly awayOut: readonly string[];
  /** homeEffectiveStrength − awayEffectiveStrength + homeAdvantage. */
  readonly expectedMargin: number;
  /** Latent P(home team wins); P(tie) beside it; the rest is P(away win). */
  readonly homeWinProbability: number;
  readonly tieProbability: number;
}

/** A generated league: everything {@link loadLeague} writes, and the truth to check models against. */
export interface SyntheticLeague {
  readonly options: LeagueOptions;
  readonly teams: readonly SyntheticTeam[];
  readonly players: readonly SyntheticPlayer[];
  readonly injuries: readonly SyntheticInjury[];
  /** In (season, week, home code) order. */
  readonly games: readonly SyntheticGame[];
  /** One per team per week, in (season, week, team) order. */
  readonly strengths: readonly TeamStrength[];
  /** One per game, in the games' order. */
  readonly markets: readonly SyntheticMarket[];
}

/** `syn-<season>-w<week>-<away>-at-<home>`. */
export function syntheticEventId(season: number, week: number, home: string, away: string): string {
  return `syn-${season}-w${week}-${away}-at-${home}`;
}

const FIRST_NAMES = ['Avery', 'Blake', 'Casey', 'Dallas', 'Emerson', 'Finley', 'Grayson', 'Harper', 'Jordan', 'Kendall', 'Logan', 'Morgan', 'Parker', 'Quinn', 'Reese', 'Sawyer'];
const LAST_NAMES = ['Abbott', 'Brennan', 'Castillo', 'Dawson', 'Ellery', 'Fontaine', 'Garrison', 'Holloway', 'Ingram', 'Jeffers', 'Kowalski', 'Lindqvist', 'Mercer', 'Nakamura', 'Okafor', 'Pruitt'];

function makePlayers(options: LeagueOptions, teams: readonly SyntheticTeam[], random: SeededRandom): SyntheticPlayer[] {
  return teams.flatMap((team) =>
    options.players.map((spot) => ({
      externalId: `syn-${team.code}-${spot.position}`,
      team: team.code,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      position: spot.position,
      impact: spot.impact,
    })),
  );
}

interface RosterEntry {
  readonly player: SyntheticPlayer;
  readonly team: number;
  readonly spot: PlayerSpot;
}

/**
 * Advances injuries by one week: a healthy player gets hurt with his spot's weekly rate, for
 * 1…maxWeeksOut weeks, cut at the season's end (`onInjury` gets the weeks he will miss).
 * Returns, per team, the roster indices of the players out this week.
 */
function nextWeekInjuries(
  options: LeagueOptions,
  roster: readonly RosterEntry[],
  week: number,
  weeksLeftOut: number[],
  random: SeededRandom,
  onInjury: (player: SyntheticPlayer, weeks: number[]) => void,
): number[][] {
  const out = Array.from({ length: options.teams }, (): number[] => []);
  roster.forEach(({ player, team, spot }, p) => {
    if (weeksLeftOut[p] === 0 && random.bernoulli(spot.injuryRate)) {
      const length = Math.min(random.integer(1, spot.maxWeeksOut), options.gamesPerTeam - week + 1);
      weeksLeftOut[p] = length;
      onInjury(player, Array.from({ length }, (_, k) => week + k));
    }
    if (weeksLeftOut[p]! > 0) {
      out[team]!.push(p);
      weeksLeftOut[p] = weeksLeftOut[p]! - 1;
    }
  });
  return out;
}

function recentre(values: number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.map((v) => v - mean);
}

/** The season's opening strengths: fresh draws, or last season's regressed plus noise; mean 0. */
function openingStrengths(options: LeagueOptions, previous: number[] | undefined, random: SeededRandom): number[] {
  const s = options.strength;
  const drawn = Array.from({ length: options.teams }, (_, i) =>
    previous === undefined
      ? random.normal(0, s.initialSd)
      : s.seasonCarryover * previous[i]! + random.normal(0, s.seasonNoise),
  );
  return recentre(drawn);
}

/**
 * Generates a synthetic league from validated options (see {@link LeagueOptionsSchema}).
 * Pure and deterministic: the same options give a deep-equal league; each concern (names,
 * strengths, injuries, schedule, scores, markets) draws from its own stream derived from
 * `seed`, so changing one option leaves the other streams' draws alone.
 *
 * The model, per season: opening strengths (first season N(0, initialSd²); later ones
 * carry-over × last season's + N(0, seasonNoise²); recentred to mean 0); each week, injuries
 * start (weekly rate per player, 1…maxWeeksOut weeks, ending with the season), teams are
 * paired at random (see {@link pairWeek}), expected margin = effective home strength −
 * effective away strength + homeAdvantage, the score is drawn (see {@link drawScore}) and
 * the game's market simulated (see {@link simulateMarket}); then every strength takes a
 * random-walk step N(0, weeklyDrift²).
 */
export function generateLeague(input: LeagueOptionsInput): SyntheticLeague {
  const options = parseLeagueOptions(input);
  const stream = (name: string) => createRandom(deriveSeed(options.seed, name));
  const [strengthRandom, injuryRandom, scheduleRandom, scoreRandom, marketRandom] = [
    'strength', 'injuries', 'schedule', 'scores', 'market',
  ].map(stream) as [SeededRandom, SeededRandom, SeededRandom, SeededRandom, SeededRandom];

  const teams = syntheticTeams(options.teams);
  const players = makePlayers(options, teams, stream('names'));
  const teamIndex = new Map(teams.map((t, i) => [t.code, i]));
  const roster = players.map((player) => ({
    player,
    team: teamIndex.get(player.team)!,
    spot: options.players.find((s) => s.position === player.position)!,
  }));
  const games: SyntheticGame[] = [];
  const strengths: TeamStrength[] = [];
  const markets: SyntheticMarket[] = [];
  const injuries: SyntheticInjury[] = [];
  let current: number[] | undefined;

  for (let season = options.firstSeason; season < options.firstSeason + options.seasons; season++) {
    current = openingStrengths(options, current, strengthRandom);
    const weeksLeftOut = players.map(() => 0);
    const homeGames = teams.map(() => 0);
    for (let week = 1; week <= options.gamesPerTeam; week++) {
      const out = nextWeekInjuries(options, roster, week, weeksLeftOut, injuryRandom, (player, weeks) =>
        injuries.push({ player: player.externalId, team: player.team, position: player.position, season, weeks }),
      );
      const effective = current.map((s, t) => s - out[t]!.reduce((sum, p) => sum + roster[p]!.player.impact, 0));
      teams.forEach((team, t) =>
        strengths.push({ season, week, team: team.code, strength: current![t]!, effectiveStrength: effective[t]! }),
      );

      const date = weekSunday(season, week);
      const kickoff = defaultKickoff(date);
      for (const pairing of pairWeek(scheduleRandom, teams.length, homeGames)) {
        const home = teams[pairing.home]!.code;
        const away = teams[pairing.away]!.code;
        const expectedMargin = effective[pairing.home]! - effective[pairing.away]! + options.homeAdvantage;
        const odds = outcomeProbabilities(expectedMargin, options.scores);
        const score = drawScore(scoreRandom, expectedMargin, options.scores);
        const eventId = syntheticEventId(season, week, home, away);
        games.push({
          eventId, season, week, date, kickoff, home, away,
          homeScore: score.home,
          awayScore: score.away,
          homeStrength: current[pairing.home]!,
          awayStrength: current[pairing.away]!,
          homeEffectiveStrength: effective[pairing.home]!,
          awayEffectiveStrength: effective[pairing.away]!,
          homeOut: out[pairing.home]!.map((p) => roster[p]!.player.externalId),
          awayOut: out[pairing.away]!.map((p) => roster[p]!.player.externalId),
          expectedMargin,
          homeWinProbability: odds.homeWin,
          tieProbability: odds.tie,
        });
        const settlement = score.home > score.away ? 1 : score.home < score.away ? 0 : 0.5;
        markets.push(
          simulateMarket(marketRandom, options.market, { eventId, kickoff, fairPrice: odds.homeWin + odds.tie / 2, settlement }),
        );
      }
      current = current.map((s) => s + strengthRandom.normal(0, options.strength.weeklyDrift));
    }
  }
  return { options, teams, players, injuries, games, strengths, markets };
}
