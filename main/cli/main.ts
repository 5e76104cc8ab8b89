#!/usr/bin/env node
import { text } from 'node:stream/consumers';
import { isCancelled } from '../engine/errors';
import { runCli } from './cli';

/** The CLI entry, `headroom` (out/cli/main.js) and `npm run cli` (the sources): wires the process to runCli. */
async function main(): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
  });
  try {
    process.exitCode = await runCli(process.argv.slice(2), {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      readStdin: () => text(process.stdin),
      env: process.env,
      isTTY: process.stdout.isTTY,
      signal: controller.signal,
    });
  } catch (error) {
    if (isCancelled(error)) {
      process.stderr.write('headroom: interrupted\n');
      process.exitCode = 130;
      return;
    }
    throw error;
  }
}

void main();
