import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGateway, DASHBOARD_DIST_PATH } from '@hub/gateway';
import { demoCallers, seedDemo, type DemoSummary } from '@hub/hub';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mutate } from './support/fixtures';
import { gatewayConfigFor, startTestHub, type Caller, type TestHub } from './support/hub';

/**
 * The national program dashboard (packages/dashboard) as served by the gateway at /dashboard/,
 * driven in a real Chromium against the demo program: sign-in per role, what each sees, and a
 * session going live through the API showing up in the open page without a reload, with its poll's
 * results; the three-tier loop; suppressed figures shown as such; lists longer than a page.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../test-results/dashboard');
const UI_TIMEOUT = 20_000;

describe('the national program dashboard in a real browser', () => {
  let hub: TestHub;
  let demo: DemoSummary;
  let browser: Browser | undefined;
  let manager: Caller;
  let managerOrg: string;
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
  const shoot = async (page: Page, name: string) => {
    await page.mouse.move(0, 0); // no chart tooltip in the picture
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  /** The "N of M" count above a table (every row, all pages). */
  const countOf = (page: Page, table: string) => page.textContent(`[data-table="${table}"] [data-count]`);
  /** Waits until a table says it holds `n` rows and is no longer loading pages. */
  const holds = (page: Page, table: string, n: number) =>
    page.waitForFunction(({ table, n }) => document.querySelector(`[data-table="${table}"] [data-count]`)?.textContent === `${n} of ${n}`, { table, n });
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
    const managerRequest = callers.find((c) => c.request.role === 'national-manager')!.request;
    managerOrg = managerRequest.org!;
    manager = await hub.as(managerRequest);
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

  it('answers 503 saying how to build it when the dashboard was not built, and keeps serving the API', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'dashboard-unbuilt-'));
    const gateway = await createGateway(gatewayConfigFor(hub, { dashboardPath: empty }));
    try {
      const url = await gateway.listen(0);
      const page = await fetch(url.replace(/\/graphql$/, '/dashboard/'));
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('The dashboard is not built: run `npm run build`');
      const api = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${manager.token}` }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await gateway.stop();
      rmSync(empty, { recursive: true, force: true });
    }
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
    await page.waitForSelector('[data-table="engagement-overlaps"] tbody tr');
    await page.waitForSelector('[data-chart="Sessions held per partner"] .recharts-bar-rectangle');
    expect(await page.$$eval('[data-chart="Sessions held per partner"] .recharts-bar-rectangle', (bars) => bars.length)).toBe(partnerNames.size);

    // attendance and drop-off: the months held so far, as the API gives them, charted
    const { program: trends } = await mutate(
      manager,
      `query($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { program(id: $p) { attendanceTrend(from: $from, to: $to) { periodStart sessionsHeld attendance } retention { sessionNumber } } }`,
      { p: demo.programId, from: `${new Date().getUTCFullYear()}-01-01T00:00:00.000Z`, to: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1)).toISOString() },
    );
    await holds(page, 'attendance-by-month', trends.attendanceTrend.length);
    const busiest = trends.attendanceTrend.reduce((a: { sessionsHeld: number }, b: { sessionsHeld: number }) => (b.sessionsHeld > a.sessionsHeld ? b : a));
    expect(busiest.sessionsHeld).toBeGreaterThan(0);
    expect(await rowsOf(page, 'attendance-by-month')).toContain(`${busiest.periodStart.slice(0, 7)} | ${busiest.sessionsHeld} | ${busiest.attendance} | ${(busiest.attendance / busiest.sessionsHeld).toFixed(1)}`);
    expect(await page.$$eval('[data-chart^="Drop-off"] .recharts-line-dot', (dots) => dots.length)).toBe(trends.retention.length);

    // facilitators by accreditation: every active facilitator of each partner counted once
    await page.waitForFunction(() => !document.querySelector('[data-table="accreditation"] [data-count]')?.textContent?.includes('loading'));
    const partnerRows = await rowsOf(page, 'delivery-partners');
    for (const row of await rowsOf(page, 'accreditation')) {
      const cells = row.split(' | ');
      const levels = cells.slice(1, 6).map(Number);
      expect(levels.reduce((a, b) => a + b, 0)).toBe(Number(cells[6]));
      // the same active facilitators as the partners table's count
      expect(partnerRows.find((r) => r.startsWith(`${cells[0]} |`))!.split(' | ')[1]).toBe(cells[6]);
    }

    // confidence change from the anonymous pairs, as the API computes it
    const { polls: pairs } = await mutate(manager, `query($p: ID!) { polls(filter: { programId: $p, kind: CONFIDENCE }, first: 100) { nodes { confidencePhase confidencePair { question change { pairedCount averageChange } } } } }`, { p: demo.programId });
    const pair = pairs.nodes.find((n: { confidencePhase: string }) => n.confidencePhase === 'BEFORE').confidencePair;
    await page.waitForSelector(`[data-table="confidence-change"] td:has-text("${pair.question}")`);
    const pairRow = (await rowsOf(page, 'confidence-change')).find((r) => r.startsWith(pair.question))!.split(' | ');
    expect(pairRow[3]).toBe(String(pair.change.pairedCount));
    expect(Number(pairRow[6])).toBeCloseTo(pair.change.averageChange, 2);

    // check-ins: more than one page of the API (100) and of the table (50), suppressed ones said so
    const { polls: checkIns, program: { minimumGroupSize } } = await mutate(
      manager,
      `query($p: ID!) { program(id: $p) { minimumGroupSize } polls(filter: { programId: $p, kind: CHECK_IN }, first: 100) { totalCount nodes { results { suppressed } } } }`,
      { p: demo.programId },
    );
    expect(checkIns.totalCount).toBeGreaterThan(100);
    expect(checkIns.nodes.some((n: { results: { suppressed: boolean } }) => n.results.suppressed)).toBe(true);
    await holds(page, 'check-ins', checkIns.totalCount);
    await page.fill('[data-table="check-ins"] input[type=search]', `suppressed (fewer than ${minimumGroupSize})`);
    const hidden = (await rowsOf(page, 'check-ins')).map((r) => r.split(' | '));
    expect(hidden.length).toBeGreaterThan(0);
    for (const cells of hidden) expect(cells.slice(4)).toEqual([`suppressed (fewer than ${minimumGroupSize})`, `suppressed (fewer than ${minimumGroupSize})`]);
    await page.fill('[data-table="check-ins"] input[type=search]', '');
    expect(await rowsOf(page, 'check-ins')).toHaveLength(50);
    await page.click('[data-table="check-ins"] button:has-text("Next")');
    await page.waitForSelector('[data-table="check-ins"] .pager:has-text("rows 51–100")');
    const [allCheckIns] = await Promise.all([page.waitForEvent('download'), page.click('[data-table="check-ins"] button:has-text("Download CSV")')]);
    expect(readFileSync((await allCheckIns.path())!, 'utf8').trim().split(/\r?\n/)).toHaveLength(checkIns.totalCount + 1);
    await expect(page.textContent('body')).resolves.not.toMatch(/undefined|NaN/);

    // sort by sessions held (descending on the second click)
    await page.click('[data-table="delivery-partners"] th:has-text("Sessions held")');
    await page.click('[data-table="delivery-partners"] th:has-text("Sessions held")');
    const held = (await rowsOf(page, 'delivery-partners')).map((r) => Number(r.split(' | ')[3]));
    expect(held.every((n) => n > 0)).toBe(true);
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

    const { organisation } = await mutate(
      admin,
      `query($o: ID!, $p: ID!) { organisation(id: $o) { communities(first: 100, filter: { programId: $p }) { totalCount nodes { membersAtRisk { attendeeRef } } } facilitators(first: 100) { totalCount } } }`,
      { o: partnerId, p: demo.programId },
    );
    await holds(page, 'communities', organisation.communities.totalCount);
    await holds(page, 'facilitators', organisation.facilitators.totalCount);
    // members at risk of dropping off, one row each, by pseudonymous reference
    const atRisk = organisation.communities.nodes.flatMap((c: { membersAtRisk: { attendeeRef: string }[] }) => c.membersAtRisk.map((m) => m.attendeeRef));
    expect(atRisk.length).toBeGreaterThan(0);
    await holds(page, 'members-at-risk', atRisk.length);
    expect((await rowsOf(page, 'members-at-risk')).map((r) => r.split(' | ')[1]).sort()).toEqual(atRisk.slice(0, 50).sort());
    await page.waitForSelector('[data-chart="Sessions held and attendance per session by month"] .recharts-bar-rectangle');
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

  it('shows a session started through the API going live, changing phase, filling up and its poll results, without a reload', async () => {
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

    // a poll asked in the session: found by both pages, its results followed as people answer,
    // withheld until the program's minimum group size has answered
    const { program: { minimumGroupSize } } = await mutate(manager, `query($p: ID!) { program(id: $p) { minimumGroupSize } }`, { p: demo.programId });
    const question = `Was this useful? ${topic}`;
    const { createPoll } = await mutate(
      admin,
      `mutation($o: ID!, $p: ID!, $s: ID!, $q: String!) { createPoll(input: { organisationId: $o, programId: $p, sessionId: $s, kind: POLL, question: $q, answerType: CHOICE, options: ["Yes", "Not yet"] }) { id } }`,
      { o: partnerId, p: demo.programId, s: id, q: question },
    );
    const pollShows = (page: Page, answers: string, results: string) =>
      page.waitForFunction(
        ({ question, answers, results }) => {
          const tr = Array.from(document.querySelectorAll('[data-table="live-polls"] tbody tr')).find((r) => r.textContent?.includes(question));
          const cells = tr ? Array.from(tr.querySelectorAll('td')).map((td) => td.textContent) : [];
          return cells[3] === answers && cells[4] === results;
        },
        { question, answers, results },
      );
    const withheld = `suppressed (fewer than ${minimumGroupSize})`;
    for (const page of [managerPage, partnerPage]) await pollShows(page, withheld, withheld);
    await waitFor(() => hub.subgraphs.feedback.events.subscriptionCount >= 2, 15_000);
    for (let n = 1; n <= minimumGroupSize; n++) {
      const answerer = await hub.as({ role: 'participant', org: partnerId, programs: [demo.programId], sub: `dashboard-answer-${n}` });
      await mutate(answerer, `mutation($p: ID!) { submitResponse(input: { pollId: $p, choice: 0 }) { accepted } }`, { p: createPoll.id });
      if (n === minimumGroupSize - 1) for (const page of [managerPage, partnerPage]) expect(await page.textContent('[data-table="live-polls"] tbody')).toContain(withheld);
    }
    for (const page of [managerPage, partnerPage]) await pollShows(page, String(minimumGroupSize), `Yes: ${minimumGroupSize} · Not yet: 0`);
    for (const page of [managerPage, partnerPage]) expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await managerPage.mouse.move(0, 0);
    await managerPage.locator('[data-view="live-sessions"]').screenshot({ path: path.join(SCREENSHOTS, 'live-sessions.png') });
    await mutate(admin, `mutation($id: ID!) { endSession(id: $id) { status } }`, { id });
    await shows(managerPage, 'ENDED', '', 1);
  }, 120_000);

  it('shows the three-tier loop: open items per tier and each item\'s path and history', async () => {
    const page = await signIn(manager.token);
    await page.click('nav a:has-text("Three-tier loop")');
    await page.waitForSelector('[data-view="three-tier-loop"]');
    expect(page.url()).toMatch(/#\/loop$/);
    const { program } = await mutate(
      manager,
      `query($p: ID!) { program(id: $p) { tiers { key name } forumSummary { tier openItems responses } forumItems(first: 100) { totalCount nodes { title status path { name } history { kind } } } } }`,
      { p: demo.programId },
    );
    const tierName = new Map(program.tiers.map((t: { key: string; name: string }) => [t.key, t.name]));
    await holds(page, 'forum-tiers', program.forumSummary.length);
    const tiers = await rowsOf(page, 'forum-tiers');
    for (const t of program.forumSummary) expect(tiers).toContainEqual(expect.stringMatching(new RegExp(`^${tierName.get(t.tier)} \\| \\d+ \\| ${t.openItems} \\| ${t.responses} \\|`)));
    expect(await page.$$eval('[data-chart="Open items and responses per tier"] .recharts-bar-rectangle', (bars) => bars.length)).toBeGreaterThan(0);

    await holds(page, 'forum-items', program.forumItems.totalCount);
    // the item that went up every tier and came back: its whole path, and every step in order
    const travelled = program.forumItems.nodes.reduce((a: { history: unknown[] }, b: { history: unknown[] }) => (b.history.length > a.history.length ? b : a));
    expect(travelled.history.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['RAISED', 'ESCALATED', 'RESPONDED']));
    const row = await page.locator('[data-table="forum-items"] tbody tr', { hasText: travelled.title });
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe(travelled.status);
    expect(cells[4]).toBe(travelled.path.map((f: { name: string }) => f.name).join(' → '));
    const steps = await row.locator('ol.history li').allTextContents();
    expect(steps.map((s) => s.split(' ')[1].toUpperCase())).toEqual(travelled.history.map((e: { kind: string }) => e.kind));
    await shoot(page, 'three-tier-loop');
    await page.context().close();
  }, 60_000);

  it('lets a national manager of several programs pick one', async () => {
    const { createProgram } = await mutate(manager, `mutation($o: ID!) { createProgram(input: { name: "Dashboard second program", managingOrganisationId: $o }) { id } }`, { o: managerOrg });
    const { program } = await mutate(manager, `query($p: ID!) { program(id: $p) { name } }`, { p: demo.programId });
    const both = await hub.as({ role: 'national-manager', org: managerOrg, programs: [demo.programId, createProgram.id], sub: 'dashboard-two-programs' });
    const page = await signIn(both.token);
    await page.waitForSelector(`[data-view="program-overview"] h2:has-text("${program.name}")`);
    await page.waitForFunction((names) => Array.from(document.querySelectorAll('select[aria-label=Program] option')).map((o) => o.textContent).join('|') === names, `${program.name}|Dashboard second program`);
    await page.selectOption('select[aria-label=Program]', createProgram.id);
    await page.waitForSelector('[data-view="program-overview"] h2:has-text("Dashboard second program")');
    await holds(page, 'delivery-partners', 0);
    await page.context().close();
  }, 60_000);

  it('says which part of the data is unavailable when a subgraph is down, instead of a blank page', async () => {
    await hub.stopSubgraph('feedback');
    try {
      const page = managerPage;
      await page.reload();
      await page.waitForSelector('text=Part of the program\'s data is unavailable right now: feedback');
      // what the other subgraphs give is still there
      await page.waitForFunction((n) => document.querySelectorAll('[data-table="delivery-partners"] tbody tr').length === n, partnerNames.size);
      // what feedback gives reads "unavailable", never 0 or an empty list
      await page.waitForSelector('[data-table="check-ins"] td:has-text("Unavailable right now.")');
      for (const row of await rowsOf(page, 'delivery-partners')) expect(row.split(' | ').slice(8)).toEqual(['unavailable', 'unavailable', 'unavailable']);
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
