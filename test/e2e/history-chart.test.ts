import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../main/engine/history/meter-history';
import { historyQueryFor } from '../../renderer/src/logic/history-chart';
import { scanInBothThemes } from './support/axe';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { card, goTo, screenshot, visible } from './support/steps';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACCOUNT = 'demo-geocoding';
const ACCOUNT_LABEL = 'Demo · Geocoding requests';
/** The older checks this test stores: every 12 hours from 20 days ago, a period reset 16 days ago. */
const OLDER_CHECKS = 17;
const LIMIT = 100_000;

/**
 * Checks of the demo's "tight" account before the ones its own poll stored, written through the
 * history store as a poll writes them. The first says 77,777 used, so the chart's first point is
 * known; the period ends 16 days ago, after which the count starts again.
 */
function olderChecks(now: number): { entries: HistoryEntry[]; firstAt: number; resetAt: number } {
  const firstAt = now - 20 * DAY;
  const resetAt = now - 16 * DAY;
  const entries: HistoryEntry[] = [];
  for (let index = 0; index < OLDER_CHECKS; index++) {
    const at = firstAt + index * 12 * HOUR;
    const before = at < resetAt;
    const used = before ? 77_777 + index * 2_000 : 1_000 + (index - 8) * 3_000;
    entries.push({
      accountId: ACCOUNT,
      at: new Date(at).toISOString(),
      meters: [
        {
          id: 'requests',
          label: 'Requests',
          unit: 'requests',
          used,
          limit: LIMIT,
          remaining: LIMIT - used,
          unlimited: false,
          resetsAt: new Date(before ? resetAt : resetAt + 30 * DAY).toISOString(),
        },
      ],
    });
  }
  return { entries, firstAt, resetAt };
}

/** Whether the element has the keyboard focus. */
async function focused(locator: Locator): Promise<boolean> {
  return (await locator.and(locator.page().locator(':focus')).count()) === 1;
}

async function numberAttribute(page: Page, name: string): Promise<number> {
  return Number(await page.getByRole('slider').getAttribute(name));
}

/** A meter's history chart in Chromium, from the dashboard, over stored history. */
describe('history chart (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium] = await Promise.all([buildRenderer(), launchChromium()]);
    browser = chromium;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close()]);
  });

  /** The demo accounts, polled once by the real engine (which seeds their past week), plus the older checks. */
  async function open(locale: string): Promise<{ page: Page; firstAt: number; resetAt: number; now: number }> {
    await app?.close();
    app = await openHeadroomPage(browser, server.url, { seedDemo: true, locale });
    await visible(card(app.page, ACCOUNT_LABEL).locator('.remaining .big'));
    const now = Date.now();
    const { entries, firstAt, resetAt } = olderChecks(now);
    app.services.history.recordBatch(entries);
    // The popover's size (main/electron/windows/window-options.ts): the view is drawn for it.
    await app.page.setViewportSize({ width: 380, height: 560 });
    return { page: app.page, firstAt, resetAt, now };
  }

  it('opens from the meter, draws the stored checks with the reset, and moves between them with the keyboard', async () => {
    const { page, firstAt, resetAt } = await open('en-GB');
    const link = card(page, ACCOUNT_LABEL).getByRole('link', { name: `History of Requests (${ACCOUNT_LABEL})` });
    await link.focus();
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { name: 'History of Requests', level: 1 });
    await visible(heading);
    await expect.poll(() => focused(heading), { timeout: 5_000 }).toBe(true);
    expect(page.url()).toMatch(/#\/history\/demo-geocoding\/requests$/);
    await expect(page.getByRole('button', { name: '30 days', exact: true }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );

    const slider = page.getByRole('slider', { name: 'History of Requests, one check at a time' });
    await visible(slider);
    // Every check of the range: the older ones and what the demo's poll stored (its past week and the check itself).
    // Asked as the chart asks (its 30 days at 'auto' resolution): a check in the same hour as one of the
    // demo's reported points shares its bucket, so the raw count would be one more at some times of day.
    const stored = app?.services.history.query(historyQueryFor(ACCOUNT, 'requests', '30d', new Date()));
    const storedCount = stored?.[0]?.points.length ?? 0;
    expect(storedCount).toBeGreaterThan(OLDER_CHECKS);
    expect(await numberAttribute(page, 'aria-valuemax')).toBe(storedCount);
    // The cursor starts at the latest check.
    expect(await numberAttribute(page, 'aria-valuenow')).toBe(storedCount);

    // Tab reaches the chart from the heading: back link's row is above, so forward through the controls.
    let reached = false;
    for (let step = 0; step < 8 && !reached; step++) {
      await page.keyboard.press('Tab');
      reached = await focused(slider);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Home');
    const first = new Date(firstAt);
    const firstDate = `${first.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Berlin' })}, ${first.toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Berlin' })}`;
    const said = `${firstDate}: 22,223 left, 77,777 used, limit 100,000`;
    await expect(slider.getAttribute('aria-valuetext')).resolves.toBe(said);
    await expect(slider.getAttribute('aria-valuenow')).resolves.toBe('1');
    await expect(page.locator('.chart-readout').textContent()).resolves.toBe(said);
    await page.keyboard.press('ArrowRight');
    await expect(slider.getAttribute('aria-valuetext')).resolves.toMatch(/: 20,223 left, 79,777 used, limit 100,000$/);
    await page.keyboard.press('End');
    await expect(slider.getAttribute('aria-valuenow')).resolves.toBe(String(storedCount));

    // The reset 16 days ago is marked, in the drawing and in words.
    expect(await page.locator('.chart-frame .chart-reset').count()).toBeGreaterThanOrEqual(1);
    const resetDay = new Date(resetAt).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      timeZone: 'Europe/Berlin',
    });
    await visible(page.locator('.history-summary').getByText(new RegExp(`Resets? on [^·]*${resetDay}`)));
    // The forecast line is drawn exactly when the meter has a projection.
    const snapshots = await app?.handlers['snapshots:get'](undefined);
    const meter = snapshots?.ok
      ? snapshots.value.find((entry) => entry.accountId === ACCOUNT)?.meters.find((entry) => entry.id === 'requests')
      : undefined;
    const projected = meter?.forecast?.state === 'ok' && meter.forecast.exhaustsAt !== null;
    expect(await page.locator('.chart-frame .chart-forecast').count()).toBe(projected ? 1 : 0);

    // The figures as a table: one row per check, the first the oldest.
    await page.getByRole('button', { name: 'Show the figures as a table' }).click();
    const rows = page.getByRole('table', { name: 'Stored checks of Requests' }).locator('tbody tr');
    expect(await rows.count()).toBe(storedCount);
    await expect(rows.first().textContent()).resolves.toBe(`${firstDate}22,22377,777100,000`);
    await scanInBothThemes(page);
    await page.getByRole('button', { name: 'Hide the table' }).click();

    await screenshot(page, 'history-light-en');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'history-dark-en');
    await page.emulateMedia({ colorScheme: 'light' });

    // Twelve months: one point a day, months on the axis.
    await page.getByRole('button', { name: '12 months', exact: true }).click();
    await expect(
      page.getByRole('button', { name: '12 months', exact: true }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await page.waitForFunction(
      `Number(document.querySelector('[role="slider"]')?.getAttribute('aria-valuemax')) < ${storedCount}`,
      undefined,
      { timeout: 15_000 },
    );
    const days = new Set(stored?.[0]?.points.map((point) => point.at.slice(0, 10)));
    expect(await numberAttribute(page, 'aria-valuemax')).toBe(days.size);
    await visible(page.getByText(new RegExp(`^${days.size} days with stored checks since `)));
    const months = await page.locator('.chart-grid > text').allTextContents();
    expect(months.length).toBeGreaterThanOrEqual(2);
    for (const label of months) expect(label).toMatch(/^[A-Z][a-z]{2,3}( \d{4})?$/);
    await scanInBothThemes(page);

    // Back: the dashboard, with the account's card in view and focused.
    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    await visible(page.getByRole('button', { name: 'Refresh' }));
    await expect.poll(() => focused(card(page, ACCOUNT_LABEL)), { timeout: 5_000 }).toBe(true);
  }, 120_000);

  it('exports exactly this meter and range as CSV in one click', async () => {
    const { page, firstAt } = await open('en-GB');
    await goTo(page, `#/history/${ACCOUNT}/requests`);
    await visible(page.getByRole('slider'));
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Saved \d+ rows to / });
    await visible(status);
    const path = /^Saved \d+ rows to (.+)\.$/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    expect(path.startsWith(app?.dataDir ?? '?')).toBe(true);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,account,meter,unit,used,limit,remaining,resets_at,source');
    const rows = lines.slice(1);
    // Every stored check of the range, raw: the chart may draw two checks of one hour as one point.
    const raw = app?.services.history.query({
      accountId: ACCOUNT,
      meterId: 'requests',
      from: new Date(firstAt).toISOString(),
      resolution: 'raw',
    });
    expect(rows.length).toBe(raw?.[0]?.points.length);
    expect(rows.every((row) => row.split(',').slice(1, 3).join(',') === `${ACCOUNT},requests`)).toBe(true);
    expect(rows[0]).toContain(new Date(firstAt).toISOString().slice(0, 19));
    expect(rows[0]).toContain(',77777,100000,22223,');
  }, 60_000);

  it('says so plainly when a meter has no stored history, and draws nothing', async () => {
    const { page } = await open('en-GB');
    await goTo(page, `#/history/${ACCOUNT}/no-such-meter`);
    await visible(page.getByText('No checks of this meter are stored in this range yet.', { exact: false }));
    expect(await page.getByRole('slider').count()).toBe(0);
    expect(await page.locator('.history-chart').count()).toBe(0);
  }, 60_000);

  it('speaks German, with German dates and numbers, in light and dark', async () => {
    const { page, firstAt } = await open('de-DE');
    await card(page, ACCOUNT_LABEL)
      .getByRole('link', { name: `Verlauf von Anfragen (${ACCOUNT_LABEL})` })
      .click();
    await visible(page.getByRole('heading', { name: 'Verlauf von Anfragen', level: 1 }));
    const slider = page.getByRole('slider', { name: 'Verlauf von Anfragen, Abfrage für Abfrage' });
    await visible(slider);
    await slider.focus();
    await page.keyboard.press('Home');
    const first = new Date(firstAt).toLocaleDateString('de-DE', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'Europe/Berlin',
    });
    await expect(slider.getAttribute('aria-valuetext')).resolves.toMatch(
      new RegExp(
        `^${first.replace(/\./g, '\\.')}, \\d{1,2}:\\d{2}: 22\\.223 übrig, 77\\.777 verbraucht, Limit 100\\.000$`,
      ),
    );
    // Days on the axis as German says them: "30. Nov.", and the values grouped with points.
    const days = await page.locator('.chart-grid > text').allTextContents();
    expect(days.some((label) => /^\d{1,2}\. \p{L}+\.?$/u.test(label))).toBe(true);
    const values = await page.locator('.chart-grid > g > text').allTextContents();
    expect(values).toContain('0');
    await visible(page.getByText(/gespeicherte Abfragen seit/));
    await visible(page.getByRole('button', { name: '12 Monate', exact: true }));
    await page.keyboard.press('End');
    await scanInBothThemes(page);
    await screenshot(page, 'history-light-de');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'history-dark-de');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 120_000);
});
