import { z } from 'zod';
import { asOf, history, upsertVersion, type VersionedWriteOptions } from '../../db/scd2.js';
import type { AccountBalance } from '../../db/tables/account-balance.table.js';
import { NON_NEGATIVE_MONEY, decimalSchema } from './decimal.js';
import { guardedWrite, type Executor } from './executor.js';
import { keyText, parseInput, text } from './input.js';
import type { VersionedResult } from './markets.js';

/** A balance as a platform reports it (spec §14). `currency` defaults to `USD`. */
export const BalanceInputSchema = z
  .object({
    platform_id: text(50),
    currency: text(10).default('USD'),
    balance: decimalSchema(NON_NEGATIVE_MONEY),
  })
  .strict();
export type BalanceInput = z.input<typeof BalanceInputSchema>;

/**
 * Records a balance poll for (platform, currency): version 1 the first time, a new version
 * when the amount differs from the current one, nothing otherwise (`changed: false`).
 * Balances are stored as reported, never recomputed from trades. Rules checked before the
 * database is touched: `balance` an exact amount >= 0 that fits DECIMAL(14,4).
 * `options.at` is the poll's time (default: now).
 */
export async function updateBalance(
  db: Executor,
  input: BalanceInput,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<AccountBalance>> {
  const key = keyText(['platform_id', 'currency'], { currency: 'USD', ...(input as object) });
  const content = parseInput(BalanceInputSchema, input, 'account_balance', key);
  return guardedWrite(`account_balance ${key}`, async () => {
    const { version, changed } = await upsertVersion(db, 'account_balance', content, options);
    return { row: version as unknown as AccountBalance, changed };
  });
}

/** The current balance of (platform, currency), or undefined. */
export async function getCurrentBalance(
  db: Executor,
  platformId: string,
  currency = 'USD',
): Promise<AccountBalance | undefined> {
  return db
    .selectFrom('current_balances')
    .selectAll()
    .where('platform_id', '=', platformId)
    .where('currency', '=', currency)
    .executeTakeFirst();
}

/** The balance of (platform, currency) current at `t`, or undefined. */
export async function getBalanceAsOf(
  db: Executor,
  platformId: string,
  t: Date,
  currency = 'USD',
): Promise<AccountBalance | undefined> {
  const version = await asOf(db, 'account_balance', { platform_id: platformId, currency }, t);
  return version as unknown as AccountBalance | undefined;
}

/** Every version of the balance of (platform, currency), oldest first. */
export async function getBalanceHistory(db: Executor, platformId: string, currency = 'USD'): Promise<AccountBalance[]> {
  return (await history(db, 'account_balance', { platform_id: platformId, currency })) as unknown as AccountBalance[];
}

/** The current balance of every (platform, currency) (the `current_balances` view). */
export async function listCurrentBalances(db: Executor): Promise<AccountBalance[]> {
  return db.selectFrom('current_balances').selectAll().orderBy('platform_id').orderBy('currency').execute();
}
