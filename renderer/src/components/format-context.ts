import { createContext, useContext } from 'react';
import { createFormatters, type Formatters } from '../logic/formatters';

export const FormatContext = createContext<Formatters>(createFormatters('en-US'));

export function useFormat(): Formatters {
  return useContext(FormatContext);
}
