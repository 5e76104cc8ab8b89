import { createContext, useContext } from 'react';

/** A result said once at the top of the settings window: "Saved", and any warning that came with it. */
export interface Flash {
  text: string;
  warnings: readonly string[];
  tone: 'ok' | 'error';
  /** The view it is shown in (`routeHash`): a save that moves to the new account's form says it there. */
  at: string;
}

export const FlashContext = createContext<(flash: Flash | null) => void>(() => undefined);

export function useFlash(): (flash: Flash | null) => void {
  return useContext(FlashContext);
}
