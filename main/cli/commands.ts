import { accountsCommand } from './accounts';
import { checkCommand } from './check';
import type { Command } from './command';
import { exportCommand } from './export';
import { serveCommand } from './serve';

/** Every CLI command; adding one is a module and a line here. */
export const COMMANDS: readonly Command[] = [checkCommand, accountsCommand, serveCommand, exportCommand];
