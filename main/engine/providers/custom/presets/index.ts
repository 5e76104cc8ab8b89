import { apifyPreset } from './apify';
import { deeplPreset } from './deepl';
import { elevenLabsPreset } from './elevenlabs';
import { gitHubPreset } from './github';
import { openRouterCreditsPreset } from './openrouter-credits';
import { openRouterKeyPreset } from './openrouter-key';
import type { Preset } from './preset';
import { scrapingBeePreset } from './scrapingbee';
import { sendGridPreset } from './sendgrid';
import { serpApiPreset } from './serpapi';
import { shodanPreset } from './shodan';
import { twilioPreset } from './twilio';

export type { Preset, PresetChoice, PresetField } from './preset';

/** Every preset, in the order the add-account form lists them. Adding one is one file and one line here. */
export const PRESETS: readonly Preset[] = [
  apifyPreset,
  deeplPreset,
  elevenLabsPreset,
  gitHubPreset,
  openRouterKeyPreset,
  openRouterCreditsPreset,
  scrapingBeePreset,
  sendGridPreset,
  serpApiPreset,
  shodanPreset,
  twilioPreset,
];

const byId = new Map(PRESETS.map((preset) => [preset.id, preset]));

export function findPreset(id: string): Preset | undefined {
  return byId.get(id);
}

export function presetIds(): string[] {
  return PRESETS.map((preset) => preset.id);
}
