import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Decimal, ReadonlyView, WithDefault } from './column-types.js';
import type { Scd2Table } from './scd2-columns.js';

/** The versioned columns of `account_balance` (spec §14). */
export interface AccountBalanceColumns {
  /** Business key, with `currency`. */
  platform_id: string;
  currency: WithDefault<string>;
  /** As reported by the platform, DECIMAL(14,4), >= 0. */
  balance: Decimal;
}

/** `account_balance` (SCD2, business key `(platform_id, currency)`): cash per platform. */
export interface AccountBalanceTable extends Scd2Table<AccountBalanceColumns> {}

export type AccountBalance = Selectable<AccountBalanceTable>;
export type NewAccountBalance = Insertable<AccountBalanceTable>;
/** Only the close-out (`row_current_ind: false`, `row_end_ts`) can be updated. */
export type AccountBalanceUpdate = Updateable<AccountBalanceTable>;

/** `current_balances`: the current balance per (platform, currency). */
export interface CurrentBalancesView extends ReadonlyView<AccountBalanceTable> {}
