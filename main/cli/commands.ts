import type { Command } from './command';

/** A command as the overall help names it; its module is loaded only when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for the overall help. */
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every CLI command; adding one is a module and a line here. Each loads its module on demand, so a
 * plain `check` loads neither the keychain, the mail and metrics of `serve`, nor SQLite.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'check every account once and print what remains',
    load: async () => (await import('./check')).checkCommand,
  },
  {
    name: 'accounts',
    summary: "list, import and export the desktop app's accounts; set their secrets",
    load: async () => (await import('./accounts')).accountsCommand,
  },
  {
    name: 'serve',
    summary: 'poll continuously; Prometheus metrics, mail and webhook alerts',
    load: async () => (await import('./serve')).serveCommand,
  },
  {
    name: 'export',
    summary: 'write the history kept by `check --history` as CSV',
    load: async () => (await import('./export')).exportCommand,
  },
];
