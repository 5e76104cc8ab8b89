import { createContext, useContext } from 'react';
import type { MoneyDisplay } from '../../../shared/money';

/** The display currency and its rates, or null: every meter in its own currency. */
export const MoneyContext = createContext<MoneyDisplay | null>(null);

export function useMoneyDisplay(): MoneyDisplay | null {
  return useContext(MoneyContext);
}
