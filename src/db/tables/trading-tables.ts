import type { AccountBalanceTable, CurrentBalancesView } from './account-balance.table.js';
import type { CurrentEdgesView, EdgesTable } from './edges.table.js';
import type { EventsTable } from './events.table.js';
import type { ExitAttemptsTable } from './exit-attempts.table.js';
import type { CurrentGameStatesView, GameStatesTable } from './game-states.table.js';
import type { CurrentMarketsView, MarketsTable } from './markets.table.js';
import type { PlatformsTable } from './platforms.table.js';
import type { PlayersTable } from './players.table.js';
import type { PositionExitsTable } from './position-exits.table.js';
import type { OpenPositionsView, PositionsTable, PositionsUrgentMonitoringView } from './positions.table.js';
import type { ProbabilityModelsTable } from './probability-models.table.js';
import type { SeriesTable } from './series.table.js';
import type { SettlementsTable } from './settlements.table.js';
import type { StrategiesTable } from './strategies.table.js';
import type { TeamsTable } from './teams.table.js';
import type { TradesTable } from './trades.table.js';

/** The tables and views of migration 0001 (sports entities and the trading schema). */
export interface TradingTables {
  teams: TeamsTable;
  players: PlayersTable;
  platforms: PlatformsTable;
  series: SeriesTable;
  events: EventsTable;
  markets: MarketsTable;
  game_states: GameStatesTable;
  probability_models: ProbabilityModelsTable;
  strategies: StrategiesTable;
  edges: EdgesTable;
  trades: TradesTable;
  positions: PositionsTable;
  settlements: SettlementsTable;
  position_exits: PositionExitsTable;
  exit_attempts: ExitAttemptsTable;
  account_balance: AccountBalanceTable;

  current_markets: CurrentMarketsView;
  current_game_states: CurrentGameStatesView;
  current_edges: CurrentEdgesView;
  current_balances: CurrentBalancesView;
  open_positions: OpenPositionsView;
  positions_urgent_monitoring: PositionsUrgentMonitoringView;
}
