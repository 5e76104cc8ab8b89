import type { ESLint } from 'eslint';

export interface Zone {
  name: string;
  folder: string;
  may: string[];
  node?: boolean;
  electron?: boolean;
}

export const ZONES: Zone[];
declare const plugin: ESLint.Plugin;
export default plugin;
