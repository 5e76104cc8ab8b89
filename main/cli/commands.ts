import { checkCommand } from './check';
import type { Command } from './command';

/** Every CLI command; adding one is a module and a line here. */
export const COMMANDS: readonly Command[] = [checkCommand];
