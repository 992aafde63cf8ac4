import { POST_GAME_LAG_MS, PRE_GAME_LEAD_MS } from '../../entities/nfl/nfl-timeline.js';
import type { FeatureDefinitionInput } from '../feature-definition.js';
import type { FeatureValueInput } from '../ingest-sources.js';
import type { FinishedGame } from './finished-games.js';

const DAY_MS = 86_400_000;

/** Parameters of the computed team-form features (each set is its own feature version). */
export interface TeamFormParams {
  readonly marginWindow: number;
  readonly pointsWindow: number;
  readonly restCapDays: number;
  /** Win rate a team starts each season with (its value before the season's first game). */
  readonly seasonPriorWinRate: number;
}

export const DEFAULT_TEAM_FORM: TeamFormParams = { marginWindow: 4, pointsWindow: 8, restCapDays: 14, seasonPriorWinRate: 0.5 };

/** The computed features: definitions carry their parameters and stamping rule. */
export function teamFormDefinitions(sport: string, p: TeamFormParams = DEFAULT_TEAM_FORM): FeatureDefinitionInput[] {
  const team = (name: string, description: string, unit: string | null, parameters: Record<string, unknown>, stamp: string) => ({
    name,
    version: '1',
    entity_type: 'team' as const,
    sport,
    category: 'team_form',
    unit,
    description,
    calculation_method: { method: `precog.compute.${name}`, parameters, stamp },
    owner: 'precog',
  });
  const post = 'kickoff + 4h of the game it follows (knowable before the next game)';
  return [
    team('margin_avg', `mean point margin over the team's last ${p.marginWindow} games`, 'points', { window: p.marginWindow }, post),
    team('points_for_avg', `points scored per game over the last ${p.pointsWindow} games`, 'points', { window: p.pointsWindow }, post),
    team('points_against_avg', `points allowed per game over the last ${p.pointsWindow} games`, 'points', { window: p.pointsWindow }, post),
    team(
      'win_rate_season',
      'share of the season\'s games won to date (ties count half); the prior at season start',
      null,
      { prior: p.seasonPriorWinRate, reset: 'first game of each season' },
      `${post}; the prior at kickoff - 2h of the team's first game of a season`,
    ),
    team('rest_days', 'days since the team\'s previous game (capped)', 'days', { cap: p.restCapDays }, 'kickoff - 2h (the schedule is known)'),
  ];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Computes the team-form values from results, each stamped when it became knowable:
 * after a game (kickoff + 4 h) the team's rolling margin, points for/against and season
 * win rate; before a game (kickoff − 2 h) its rest days and, before its first game of a
 * season, the win-rate prior. No value ever uses a game at or after the time it is
 * stamped, so a point-in-time read at a later game's label time sees only the past.
 * Backfilled: `available_at = timestamp`.
 */
export function* computeTeamForm(
  games: readonly FinishedGame[],
  p: TeamFormParams = DEFAULT_TEAM_FORM,
): Generator<FeatureValueInput> {
  const history = new Map<string, { margins: number[]; pf: number[]; pa: number[]; season: number; wins: number; played: number; last: Date | null }>();
  for (const g of games) {
    for (const [team, forPts, againstPts] of [
      [g.home, g.homeScore, g.awayScore],
      [g.away, g.awayScore, g.homeScore],
    ] as const) {
      let h = history.get(team);
      if (!h) {
        h = { margins: [], pf: [], pa: [], season: g.season, wins: 0, played: 0, last: null };
        history.set(team, h);
      }
      const pre = new Date(g.kickoff.getTime() - PRE_GAME_LEAD_MS).toISOString();
      if (h.played === 0 || h.season !== g.season) {
        h.season = g.season;
        h.wins = 0;
        h.played = 0;
        yield value('win_rate_season', team, pre, p.seasonPriorWinRate, `season-${g.season}`);
      }
      const rest = h.last ? Math.min(p.restCapDays, (g.kickoff.getTime() - h.last.getTime()) / DAY_MS) : p.restCapDays;
      yield value('rest_days', team, pre, rest, g.eventId);
      h.margins.push(forPts - againstPts);
      h.pf.push(forPts);
      h.pa.push(againstPts);
      h.played += 1;
      h.wins += forPts > againstPts ? 1 : forPts === againstPts ? 0.5 : 0;
      h.last = g.kickoff;
      const post = new Date(g.kickoff.getTime() + POST_GAME_LAG_MS).toISOString();
      yield value('margin_avg', team, post, mean(h.margins.slice(-p.marginWindow)), g.eventId);
      yield value('points_for_avg', team, post, mean(h.pf.slice(-p.pointsWindow)), g.eventId);
      yield value('points_against_avg', team, post, mean(h.pa.slice(-p.pointsWindow)), g.eventId);
      yield value('win_rate_season', team, post, h.wins / h.played, g.eventId);
    }
  }
}

function value(name: string, team: string, timestamp: string, v: number, ref: string): FeatureValueInput {
  return {
    feature: `${name}@1`,
    entity: team,
    timestamp,
    available_at: timestamp,
    value: v,
    external_source: 'computed',
    external_reference_id: ref,
  };
}
