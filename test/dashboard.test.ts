import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_DIST_PATH } from '@hub/gateway';
import { demoCallers, seedDemo, type DemoSummary } from '@hub/hub';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mutate } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';

/**
 * The national program dashboard (packages/dashboard) as served by the gateway at /dashboard/,
 * driven in a real Chromium against the demo program: sign-in per role, what each sees, and a
 * session going live through the API showing up in the open page without a reload.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../test-results/dashboard');
const UI_TIMEOUT = 20_000;

describe('the national program dashboard in a real browser', () => {
  let hub: TestHub;
  let demo: DemoSummary;
  let browser: Browser | undefined;
  let manager: Caller;
  let admin: Caller;
  let partnerId: string;
  let partnerNames: Map<string, string>;
  let managerPage: Page;
  let partnerPage: Page;
  let dashboardUrl: string;

  const signIn = async (token: string): Promise<Page> => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    await page.goto(dashboardUrl);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    return page;
  };
  const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** The visible text of each row of a table (data-table=slug), cells joined by " | ". */
  const rowsOf = (page: Page, table: string) =>
    page.$$eval(`[data-table="${table}"] tbody tr`, (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '').join(' | ')));

  beforeAll(async () => {
    // CI installs Chromium (.ci/run); a missing browser is a failure, never a skip
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH. The dashboard tests need a real browser.`);
    if (!existsSync(path.join(DASHBOARD_DIST_PATH, 'index.html'))) throw new Error(`The dashboard is not built (${DASHBOARD_DIST_PATH}): run \`npm run build\` first.`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    hub = await startTestHub();
    demo = await seedDemo(hub);
    const callers = await demoCallers(hub, demo.programId);
    manager = await hub.as(callers.find((c) => c.request.role === 'national-manager')!.request);
    const adminRequest = callers.find((c) => c.request.role === 'partner-admin')!.request;
    admin = await hub.as(adminRequest);
    partnerId = adminRequest.org!;
    const { program } = await mutate(manager, `query($p: ID!) { program(id: $p) { deliveryPartners { id name } } }`, { p: demo.programId });
    partnerNames = new Map(program.deliveryPartners.map((o: { id: string; name: string }) => [o.id, o.name]));
    dashboardUrl = hub.gatewayUrl.replace(/\/graphql$/, '/dashboard/');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  }, 60_000);

  it('serves the built app at /dashboard/ and any page path under it', async () => {
    const index = await fetch(dashboardUrl);
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(readFileSync(path.join(DASHBOARD_DIST_PATH, 'index.html'), 'utf8'));
    expect((await fetch(`${dashboardUrl}partners/riverbend`)).status).toBe(200);
    expect((await fetch(`${dashboardUrl}assets/missing.js`)).status).toBe(404);
  });

  it('shows the national manager every delivery partner, with charts and tables that sort, filter and download', async () => {
    managerPage = await signIn(manager.token);
    const page = managerPage;
    await expect(page.textContent('[data-testid=who]')).resolves.toContain('national-manager');
    await page.waitForFunction((n) => document.querySelectorAll('[data-table="delivery-partners"] tbody tr').length === n, partnerNames.size);
    const rows = await rowsOf(page, 'delivery-partners');
    for (const name of partnerNames.values()) expect(rows.some((r) => r.startsWith(`${name} |`))).toBe(true);
    // the other panels of the overview
    await page.waitForSelector('[data-table="maturity-stages"] tbody tr');
    await page.waitForSelector('[data-table="forum-tiers"] tbody tr');
    await page.waitForSelector('[data-table="engagement-overlaps"] tbody tr');
    await page.waitForSelector('.recharts-bar-rectangle');
    expect(await page.$$eval('.recharts-bar-rectangle', (bars) => bars.length)).toBe(partnerNames.size);
    await expect(page.textContent('body')).resolves.not.toContain('undefined');

    // sort by sessions held (descending on the second click)
    await page.click('[data-table="delivery-partners"] th:has-text("Sessions held")');
    await page.click('[data-table="delivery-partners"] th:has-text("Sessions held")');
    const held = (await rowsOf(page, 'delivery-partners')).map((r) => Number(r.split(' | ')[3]));
    expect(held).toEqual([...held].sort((a, b) => b - a));
    // filter to one partner, and download what is shown
    const [someName] = [...partnerNames.values()];
    await page.fill('[data-table="delivery-partners"] input[type=search]', someName);
    await expect(rowsOf(page, 'delivery-partners')).resolves.toHaveLength(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-table="delivery-partners"] button:has-text("Download CSV")')]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^Partner,Facilitators,Groups,Sessions held,/);
    expect(csv).toHaveLength(2);
    expect(csv[1].startsWith(someName.includes(',') ? `"${someName}"` : someName)).toBe(true);
    await page.fill('[data-table="delivery-partners"] input[type=search]', '');
    await shoot(page, 'program-overview');
  }, 60_000);

  it('shows a partner admin its own partner only', async () => {
    partnerPage = await signIn(admin.token);
    const page = partnerPage;
    const own = partnerNames.get(partnerId)!;
    await page.waitForSelector(`[data-view="partner"] h2:has-text("${own}")`);
    await expect(page.textContent('[data-testid=who]')).resolves.toContain(`partner-admin · ${own} (${partnerId})`);
    expect(await page.$('[data-view="program-overview"]')).toBeNull();

    const { organisation } = await mutate(admin, `query($o: ID!) { organisation(id: $o) { communities(first: 100) { totalCount } facilitators(first: 100) { totalCount } } }`, { o: partnerId });
    await page.waitForFunction((n) => document.querySelectorAll('[data-table="communities"] tbody tr').length === n, organisation.communities.totalCount);
    await page.waitForFunction((n) => document.querySelectorAll('[data-table="facilitators"] tbody tr').length === n, organisation.facilitators.totalCount);
    await page.waitForSelector('[data-table="upcoming-sessions"] tbody tr td:not(.muted)');
    // nothing of another partner's in its own tables (overlaps name the other side on purpose)
    const others = [...partnerNames].filter(([id]) => id !== partnerId).map(([, name]) => name);
    for (const table of ['communities', 'facilitators', 'upcoming-sessions', 'live-sessions']) {
      const text = (await rowsOf(page, table)).join('\n');
      for (const name of others) expect(text).not.toContain(name);
    }
    const accreditation = (await rowsOf(page, 'facilitators')).map((r) => r.split(' | ')[2]);
    expect(accreditation.some((a) => ['FOUNDATION', 'PRACTITIONER', 'ADVANCED', 'TRAINER'].includes(a))).toBe(true);
    await shoot(page, 'partner');
  }, 60_000);

  it('shows a session started through the API going live, changing phase and filling up, without a reload', async () => {
    // a new session of the partner's, with a topic no other session has
    const { sessions } = await mutate(
      admin,
      `query($o: ID!, $from: DateTimeISO!) { sessions(filter: { organisationId: $o, status: SCHEDULED, from: $from }, first: 1) { nodes { community { id } facilitators { id } } } }`,
      { o: partnerId, from: new Date().toISOString() },
    );
    const [template] = sessions.nodes;
    const startsAt = new Date(Date.now() + 60_000);
    const topic = `Dashboard live check ${Date.now()}`;
    const { scheduleSession } = await mutate(
      admin,
      `mutation($c: ID!, $t: String!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: $t, startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id formatPhases } }`,
      { c: template.community.id, t: topic, s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 3_600_000).toISOString(), f: template.facilitators.map((f: { id: string }) => f.id) },
    );
    const id: string = scheduleSession.id;
    const phases: string[] = scheduleSession.formatPhases;
    expect(phases.length).toBeGreaterThanOrEqual(2);

    // both pages are open and subscribed (one upstream subscription per caller scope)
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount >= 2, 15_000);
    const marker = async (page: Page) => page.evaluate(() => ((window as unknown as { stayed?: boolean }).stayed = true));
    await marker(managerPage);
    await marker(partnerPage);

    /** Waits until the live panel's row of the session shows this status, phase and attendance. */
    const shows = (page: Page, status: string, phase: string, attendance: number) =>
      page.waitForFunction(
        ({ topic, status, phase, attendance }) => {
          const tr = Array.from(document.querySelectorAll('[data-table="live-sessions"] tbody tr')).find((r) => r.textContent?.includes(topic));
          const cells = tr ? Array.from(tr.querySelectorAll('td')).map((td) => td.textContent) : [];
          return cells[3] === status && cells[4] === phase && cells[5] === String(attendance);
        },
        { topic, status, phase, attendance },
      );
    await mutate(admin, `mutation($id: ID!) { startSession(id: $id) { status } }`, { id });
    for (const page of [managerPage, partnerPage]) await shows(page, 'LIVE', phases[0], 0);
    await mutate(admin, `mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "${phases[1]}" }) { currentPhase } }`, { id });
    for (const page of [managerPage, partnerPage]) await shows(page, 'LIVE', phases[1], 0);
    // a participant checks in: the attendance follows through the session's own subscription
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount >= 4, 15_000);
    const participant = await hub.as({ role: 'participant', org: partnerId, programs: [demo.programId], sub: 'dashboard-participant' });
    await mutate(participant, `mutation($id: ID!) { checkIn(sessionId: $id) { id } }`, { id });
    for (const page of [managerPage, partnerPage]) {
      await shows(page, 'LIVE', phases[1], 1);
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    }
    await shoot(managerPage, 'live-sessions');
    await mutate(admin, `mutation($id: ID!) { endSession(id: $id) { status } }`, { id });
    await shows(managerPage, 'ENDED', '', 1);
  }, 90_000);

  it('says which part of the data is unavailable when a subgraph is down, instead of a blank page', async () => {
    await hub.stopSubgraph('feedback');
    try {
      const page = managerPage;
      await page.reload();
      await page.waitForSelector('text=Part of the program\'s data is unavailable right now: feedback');
      // what the other subgraphs give is still there
      await page.waitForFunction((n) => document.querySelectorAll('[data-table="delivery-partners"] tbody tr').length === n, partnerNames.size);
      await shoot(page, 'subgraph-unavailable');
    } finally {
      await hub.startSubgraph('feedback');
    }
  }, 60_000);

  it('signs out, forgetting the token', async () => {
    const page = partnerPage;
    await page.click('button:has-text("Sign out")');
    await page.waitForSelector('#token');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    await page.waitForSelector('#token');
    await shoot(page, 'sign-in');
  }, 30_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
