import { run as pollOverhead } from './poll-overhead';
import { run as simulatedDay } from './simulated-day';

/** `npm run bench`: prints figures; nothing here passes or fails on time. */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'poll-overhead') await pollOverhead();
  if (!only) console.log('');
  if (!only || only === 'simulated-day') await simulatedDay();
}

void main();
