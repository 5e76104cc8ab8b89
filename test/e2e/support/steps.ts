import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT } from './build-renderer';

/** How long a step waits for the page: a poll of a mock server answers in milliseconds. */
export const STEP_TIMEOUT_MS = 15_000;

export const SCREENSHOTS_DIR = join(REPO_ROOT, 'test-results');

/** An account's card on the dashboard, found by its name (the article is labelled by its heading). */
export function card(page: Page, label: string): Locator {
  return page.getByRole('article', { name: label, exact: true });
}

export async function visible(locator: Locator, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

export async function gone(locator: Locator, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout });
}

export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await visible(page.locator('h1'));
}

export interface AccountInput {
  provider: string;
  label: string;
  /** Field label (as the form shows it) → value. */
  fields?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Select label → option value. */
  selects?: Record<string, string>;
}

/** Fills in the add-account form as a person would and saves; resolves on the confirmation. */
export async function addAccountThroughForm(page: Page, input: AccountInput): Promise<void> {
  await goTo(page, '#/settings/new');
  await page.getByLabel('Service').selectOption(input.provider);
  await visible(page.getByRole('heading', { name: 'Add an account' }));
  await page.getByLabel(/^Name/).fill(input.label);
  for (const [label, value] of Object.entries(input.fields ?? {}))
    await page.getByLabel(label, { exact: false }).first().fill(value);
  for (const [label, value] of Object.entries(input.selects ?? {})) await page.getByLabel(label).selectOption(value);
  for (const [label, value] of Object.entries(input.secrets ?? {}))
    await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Add account' }).click();
  await visible(page.getByText(`“${input.label}” was added and is being checked.`));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
