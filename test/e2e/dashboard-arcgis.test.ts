import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARCGIS_MOCK_MEMBERS,
  ARCGIS_MOCK_PASSWORD,
  ARCGIS_MOCK_USERS,
  startArcgisMock,
  type ArcgisMock,
  type ArcgisMockMember,
  type ArcgisMockUser,
} from '../mock-servers/arcgis';
import { mulberry32 } from '../support/mulberry32';
import { scanInBothThemes } from './support/axe';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { card, goTo, gone, screenshot, visible } from './support/steps';

const DAY_MS = 86_400_000;

/** An organization of `count` members with allocations, from a seed: some run low, some are unlimited. */
function largeOrganization(count: number, seed: number): ArcgisMockMember[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, index) => {
    const username = `member-${String(index).padStart(5, '0')}`;
    if (index % 50 === 0) return { username, fullName: `Member ${index}`, assignedCredits: -1, availableCredits: -1 };
    const assigned = 100 + Math.round(random() * 900);
    return {
      username,
      fullName: `Member ${index}`,
      assignedCredits: assigned,
      availableCredits: Math.round(random() * assigned * 100) / 100,
    };
  });
}

/** A table's body rows, each as its cells' texts. */
async function rowTexts(table: Locator): Promise<string[][]> {
  return Promise.all((await table.locator('tbody tr').all()).map((row) => row.locator('th, td').allTextContents()));
}

/**
 * The dashboard's ArcGIS depth in Chromium against the ArcGIS mock: members' credit budgets (a summary,
 * the table worst first, long lists in steps), the subscription's end as a line of its own, what
 * needs an administrator in plain words; and snoozing an account from its card.
 */
describe('dashboard: ArcGIS in depth, and snoozing an account (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let arcgis: ArcgisMock;
  let app: HeadroomPage;
  let gisId = '';

  beforeAll(async () => {
    const [dir, chromium, arcgisMock] = await Promise.all([buildRenderer(), launchChromium(), startArcgisMock()]);
    browser = chromium;
    arcgis = arcgisMock;
    server = await serveDirectory(dir);
    // 20½ days left: the subscription is in its warning month.
    arcgis.setSubscriptionEnd(Date.now() + 20.5 * DAY_MS);
    app = await openHeadroomPage(browser, server.url);
  }, 180_000);

  afterAll(async () => {
    await app.close();
    await Promise.all([browser.close(), server.close(), arcgis.close()]);
  });

  async function addArcgis(label: string, username: ArcgisMockUser): Promise<string> {
    const created = await app.handlers['accounts:create']({
      account: { provider: 'arcgis', label, config: { portalUrl: arcgis.url, username, creditBudget: 10_000 } },
      secrets: { password: ARCGIS_MOCK_PASSWORD },
    });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.entry.account.id;
  }

  it('sums up the members, opens the table worst first, and says the subscription’s end on its own line', async () => {
    arcgis.setMembers(ARCGIS_MOCK_MEMBERS);
    const { page } = app;
    gisId = await addArcgis('GIS org', ARCGIS_MOCK_USERS.admin);
    const gis = card(page, 'GIS org');

    // Collapsed: one line. Three of the eight mock members are at or below 20 % of their allocation.
    await visible(gis.getByText('3 of 8 members low on credits'));
    await expect(gis.getByRole('table').count()).resolves.toBe(0);
    await gis.getByRole('button', { name: 'Show the members of GIS org' }).click();
    const table = gis.getByRole('table', { name: 'Members’ credits of GIS org, the lowest first' });
    await visible(table);
    const rows = await rowTexts(table);
    expect(rows.slice(0, 3)).toEqual([
      ['Dana Kowalski', '250', '0', '0%', 'Critical'],
      ['Amara Okafor', '500', '12.5', '3%', 'Critical'],
      ['Ben Hughes', '400', '61.2', '15%', 'Warning'],
    ]);
    // Members without an allocation are unlimited, never 0.
    expect(rows.filter((row) => row[0] === 'Eli Martin' || row[0] === 'Mock gis-admin')).toEqual([
      ['Eli Martin', 'Unlimited', 'Unlimited', '—', 'OK'],
      ['Mock gis-admin', 'Unlimited', 'Unlimited', '—', 'OK'],
    ]);
    await expect(gis.locator('.members-details .note').textContent()).resolves.toMatch(
      /^Member list read .+ · new members get 500 credits$/,
    );

    // The subscription: a sentence with the date and the days, in the warning's colour and word; no bar.
    const subscription = gis.locator('li.meter.countdown');
    await expect(subscription.textContent()).resolves.toMatch(
      /^Subscription \(In Org\) ends on [A-Z][a-z]{2} \d{1,2}, \d{4} — 20 days left · Warning$/,
    );
    await expect(subscription.getAttribute('class')).resolves.toContain('tone-warning');
    await expect(subscription.getByRole('meter').count()).resolves.toBe(0);
    // An administrator reads every figure: no note about rights.
    await expect(gis.locator('.admin-note').count()).resolves.toBe(0);
    await screenshot(page, 'dashboard-arcgis');
  }, 60_000);

  it('changes the members’ levels when their rule is changed in the form, and keeps it there', async () => {
    const { page } = app;
    await goTo(page, `#/settings/${gisId}`);
    const members = page.getByRole('group', { name: 'Members’ credits' });
    await visible(members);
    // Farah Haddad has 29 % of her allocation left: low once the warning is at 30 %.
    await members.getByLabel('Warn for a member at: value').fill('30');
    await members.getByLabel('Critical for a member at: value').fill('10');
    await members.getByLabel('Critical for a member at: share or amount').selectOption('absolute');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“GIS org” was saved.'));
    const listed = await app.handlers['accounts:list'](undefined);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.find((entry) => entry.account.id === gisId)?.account.rules?.userCredits).toEqual({
      warning: { percentRemaining: 30 },
      critical: { remaining: 10 },
    });

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const gis = card(page, 'GIS org');
    await visible(gis.getByText('4 of 8 members low on credits'));
    if ((await gis.getByRole('table').count()) === 0)
      await gis.getByRole('button', { name: 'Show the members of GIS org' }).click();
    // The list comes from main when the table opens.
    await visible(gis.getByRole('table'));
    const rows = await rowTexts(gis.getByRole('table'));
    // Amara Okafor's 12.5 credits are above the 10-credit critical line now.
    expect(rows.slice(0, 4).map((row) => [row[0], row[4]])).toEqual([
      ['Dana Kowalski', 'Critical'],
      ['Amara Okafor', 'Warning'],
      ['Ben Hughes', 'Warning'],
      ['Farah Haddad', 'Warning'],
    ]);

    // Back to the defaults: the form shows the rule as saved, and emptying it removes it.
    await goTo(page, `#/settings/${gisId}`);
    await expect(members.getByLabel('Warn for a member at: value').inputValue()).resolves.toBe('30');
    await members.getByLabel('Warn for a member at: value').fill('');
    await members.getByLabel('Critical for a member at: value').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“GIS org” was saved.'));
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(gis.getByText('3 of 8 members low on credits'));
  }, 60_000);

  it('fetches an open table’s list when it opens and again when its account’s snapshot changes', async () => {
    const { page } = app;
    const gis = card(page, 'GIS org');
    const show = gis.getByRole('button', { name: 'Show the members of GIS org' });
    // The list is not in the snapshots: opening the table asks main for it.
    const memberCalls: unknown[] = [];
    const membersGet = app.handlers['members:get'];
    app.handlers['members:get'] = (request) => {
      memberCalls.push(request);
      return membersGet(request);
    };
    if ((await gis.getByRole('table').count()) > 0)
      await gis.getByRole('button', { name: 'Hide the members of GIS org' }).click();
    await show.click();
    const table = gis.getByRole('table');
    await visible(table);
    expect(memberCalls).toEqual([{ accountId: gisId }]);
    const farah = async (): Promise<string | undefined> =>
      (await rowTexts(table)).find((row) => row[0] === 'Farah Haddad')?.[4];
    await expect(farah()).resolves.toBe('OK');

    // A rule changed elsewhere (the settings window) re-levels the members: the open table follows.
    const updated = await app.handlers['accounts:update']({
      accountId: gisId,
      patch: { rules: { userCredits: { warning: { percentRemaining: 30 } } } },
    });
    if (!updated.ok) throw new Error(updated.error.message);
    await visible(gis.getByText('4 of 8 members low on credits'));
    await expect.poll(farah, { timeout: 10_000 }).toBe('Warning');
    expect(memberCalls.length).toBeGreaterThanOrEqual(2);
    expect(memberCalls.every((request) => JSON.stringify(request) === JSON.stringify({ accountId: gisId }))).toBe(true);

    const restored = await app.handlers['accounts:update']({ accountId: gisId, patch: { rules: null } });
    if (!restored.ok) throw new Error(restored.error.message);
    await visible(gis.getByText('3 of 8 members low on credits'));
    await expect.poll(farah, { timeout: 10_000 }).toBe('OK');
    app.handlers['members:get'] = membersGet;
  }, 60_000);

  it('says so plainly when the list cannot be fetched, never showing an empty table, and tries again', async () => {
    const { page } = app;
    const gis = card(page, 'GIS org');
    if ((await gis.getByRole('table').count()) > 0)
      await gis.getByRole('button', { name: 'Hide the members of GIS org' }).click();
    // Main fails the next member list once.
    const membersGet = app.handlers['members:get'];
    app.handlers['members:get'] = () => {
      app.handlers['members:get'] = membersGet;
      return Promise.resolve({ ok: false, error: { code: 'failed', message: 'The main process did not answer.' } });
    };
    await gis.getByRole('button', { name: 'Show the members of GIS org' }).click();
    const alert = gis.getByRole('alert');
    await visible(alert);
    await expect(alert.textContent()).resolves.toBe(
      'The members of GIS org could not be loaded.The main process did not answer.Try again',
    );
    await expect(gis.getByRole('table').count()).resolves.toBe(0);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await visible(gis.getByRole('table'));
    await gone(alert);
  }, 60_000);

  it('keeps a large organization quick: the table grows a hundred rows at a time', async () => {
    arcgis.setMembers(largeOrganization(1240, 8));
    const { page } = app;
    await addArcgis('Large org', ARCGIS_MOCK_USERS.admin);
    const large = card(page, 'Large org');
    await visible(large.getByText(/^\d+ of 1,240 members low on credits$/));
    await large.getByRole('button', { name: 'Show the members of Large org' }).click();
    const body = large.locator('tbody');
    await visible(body);
    await expect(body.locator('tr').count()).resolves.toBe(100);
    await large.getByRole('button', { name: 'Show 100 more members (1,140 not shown yet)' }).click();
    await expect(body.locator('tr').count()).resolves.toBe(200);
    // Worst first all the way down: no OK member above a low one.
    const levels = await body.locator('tr td:last-child').allTextContents();
    expect(levels.indexOf('OK') === -1 || levels.lastIndexOf('Warning') < levels.indexOf('OK')).toBe(true);
    await large.getByRole('button', { name: 'Hide the members of Large org' }).click();
    await gone(large.getByRole('table'));
  }, 60_000);

  it('says when budgeting is off, and what needs an administrator, in plain words', async () => {
    arcgis.setMembers(ARCGIS_MOCK_MEMBERS);
    const { page } = app;
    await addArcgis('No budgets', ARCGIS_MOCK_USERS.noBudgetsAdmin);
    const noBudgets = card(page, 'No budgets');
    await visible(
      noBudgets.getByText(
        'Credit budgeting is off: members use the organization’s credits without allocations of their own.',
      ),
    );
    await expect(noBudgets.getByRole('button', { name: /Show the members/ }).count()).resolves.toBe(0);

    const memberId = await addArcgis('Member login', ARCGIS_MOCK_USERS.member);
    const member = card(page, 'Member login');
    await visible(
      member.getByText(
        'Credits by service and members’ credit budgets need an administrator: this account may read the balance only.',
      ),
    );
    // The provider's technical wording is not repeated beside it; the balance and the subscription stay.
    await expect(member.getByText(/need an ArcGIS Online administrator/).count()).resolves.toBe(0);
    await visible(member.getByText(/^Subscription \(In Org\) ends on/));
    await member.getByRole('button', { name: 'Use an administrator account for Member login' }).click();
    await visible(page.getByRole('heading', { name: 'Edit “Member login”' }));
    expect(String(await page.evaluate('location.hash'))).toBe(`#/settings/${memberId}`);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(member);
  }, 60_000);

  it('snoozes an account from its card with the keyboard, shows until when, and ends it', async () => {
    const { page, services } = app;
    const gis = card(page, 'GIS org');
    const marker = gis.locator('.snoozed');
    await gis.getByRole('button', { name: 'Snooze the notifications of GIS org' }).focus();
    await page.keyboard.press('Enter');
    // The choices open with the focus on the first.
    await visible(gis.getByRole('group', { name: 'Snooze the notifications of GIS org for' }));
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('For an hour');
    await page.keyboard.press('Enter');
    await visible(marker);
    await expect(marker.locator('time').textContent()).resolves.toMatch(
      /^Notifications snoozed until \d{1,2}:\d{2} [AP]M( \(tomorrow\))?$/,
    );
    expect(services.settings.get().accountState[gisId]?.snoozedUntil).toBeTruthy();
    // The focus moved to the button that ends it.
    await expect
      .poll(() => page.evaluate('document.activeElement.getAttribute("aria-label")'), { timeout: 5_000 })
      .toBe('End snooze: GIS org');
    await page.keyboard.press('Enter');
    await gone(marker);
    expect(services.settings.get().accountState[gisId]?.snoozedUntil).toBeUndefined();
    // The focus moves once main has answered, which may come a moment after the event that redrew the card.
    await expect
      .poll(() => page.evaluate('document.activeElement.getAttribute("aria-label")'), { timeout: 5_000 })
      .toBe('Snooze the notifications of GIS org');

    // A snooze decided elsewhere (the tray) reaches the card through accounts:changed.
    const snoozed = await app.handlers['app:snooze-account']({ accountId: gisId, minutes: 7 * 24 * 60 });
    expect(snoozed.ok).toBe(true);
    await visible(marker);
    await expect(marker.locator('time').textContent()).resolves.toMatch(
      /^Notifications snoozed until [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2} [AP]M$/,
    );
  }, 60_000);

  it('finds nothing serious with axe: the members open, the snooze choices, the administrator note, light and dark', async () => {
    const { page } = app;
    const gis = card(page, 'GIS org');
    if (!(await gis.getByRole('table').isVisible()))
      await gis.getByRole('button', { name: 'Show the members of GIS org' }).click();
    await visible(gis.getByRole('table'));
    await card(page, 'No budgets').getByRole('button', { name: 'Snooze the notifications of No budgets' }).click();
    await visible(card(page, 'No budgets').getByRole('group'));
    await visible(card(page, 'Member login').locator('.admin-note'));
    await scanInBothThemes(page);
  }, 60_000);
});
