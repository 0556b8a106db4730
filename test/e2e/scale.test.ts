// The Labs tree stays responsive while a big lab loads, end to end: 64 light hosts (netns, sshd,
// `ip`; no OVS) in one lab file, the packaged extension in code-server, driven in Chromium. The
// last host answers late for real: its sshd listener is stopped (SIGSTOP) before the tree first
// reads the lab and continued once the test has seen what it came for. In the real tree:
// (a) every host's row shows at once, the late one loading; (b) the first host, read, opens and
// shows what was read of it (its interface's address) while the last host is still loading;
// (c) the last host fills in. Screenshots in test-results/e2e-scale/. Root only. The only traffic
// is the product's SSH to the lab's own namespace hosts.

import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { scaleLabSpec, type TestLab } from '../lab';
import { SshdPause } from '../lab/sshdPause';
import { E2eSession, extensionHostErrors, REPO } from './support/session';
import { oneLine, Workbench } from './support/workbench';

const COUNT = 64;
const SPEC = scaleLabSpec(COUNT, { prefix: 'ole2s', mgmtSubnet: '10.213.184.1/24' });
const HOSTS = SPEC.hosts.map((host) => host.name);
const FIRST = HOSTS[0];
const LAST = HOSTS[HOSTS.length - 1];
/** Words a host row shows while it is being connected to or read. */
const LOADING = /connecting…|reading…/;
const FAILED = /unreachable|could not read/;
/** The product's connect timeout here (seconds): a late host, not an unreachable one. */
const CONNECT_TIMEOUT_S = 30;
/**
 * The late host's pause ends by itself after this long, counted from when the tree shows it being
 * read: well within the connect timeout, so that a slow run sees a late host, never an unreachable one.
 */
const PAUSE_LIMIT_MS = 20_000;

/** Each host gets its management interface declared, so that its row opens on what was read of it. */
function writeScaleLabFile(lab: TestLab, workspace: string): string {
  const yaml = [
    'version: 1',
    'name: scale',
    'description: 64 light hosts (sshd and ip, no Open vSwitch) for the tree at scale.',
    'defaults:',
    '  ssh:',
    '    user: root',
    `    identityFile: ${lab.paths.clientKey}`,
    `    knownHostsFile: ${lab.paths.knownHosts}`,
    'hosts:',
    ...lab.hosts().flatMap((host) => [`  ${host.name}:`, `    ssh: { host: ${host.sshHost} }`, '    interfaces:', '      mgmt0: {}']),
    '',
  ].join('\n');
  const file = join(workspace, 'scale.lab.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A host row is read once it names its Open vSwitch state ("no OVS") and is neither loading nor failed. */
function isRead(text: string | undefined): boolean {
  return text !== undefined && /\bOVS\b/.test(text) && !LOADING.test(text) && !FAILED.test(text);
}

describe('e2e: the Labs tree with 64 hosts', function () {
  this.timeout(90_000);
  const session = new E2eSession(join(REPO, 'test-results', 'e2e-scale'), {
    spec: SPEC,
    options: { trustHostKeys: true },
    writeLabFile: writeScaleLabFile,
    // Tall enough for every row at once: the tree renders only the rows on screen.
    viewport: { width: 1400, height: 1900 },
    settings: { 'overlayLab.ssh.connectTimeout': CONNECT_TIMEOUT_S },
  });
  let page: Page;
  let workbench: Workbench;
  let pause: SshdPause | undefined;
  /** When the Labs view was opened: the tree's first read of the lab starts then. */
  let opened = 0;
  const at: Record<string, number> = {};

  before(async function () {
    const reason = await E2eSession.cannotRun(SPEC);
    if (reason && process.env.CI === 'true') throw new Error(`the end-to-end suite cannot run: ${reason}`);
    if (reason) {
      // eslint-disable-next-line no-console
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    this.timeout(600_000);
    page = await session.up();
    workbench = new Workbench(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const shot = await session.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
      if (shot) session.log(`screenshot of the failure: ${shot}`);
    }
  });

  after(async function () {
    this.timeout(120_000);
    // A stopped sshd would not hear the teardown: continue it first, whatever happened.
    await pause?.resume().catch((error: Error) => session.log(`(resuming ${LAST}'s sshd: ${error.message})`));
    await session.down();
    const figures = Object.entries(at).map(([what, ms]) => `${what} at ${(ms / 1000).toFixed(2)} s`);
    if (figures.length) session.log(`after opening the view: ${figures.join(', ')}`);
  });

  /** Every row of the Labs view, top to bottom, as label and description, in one look at the page. */
  async function rowList(): Promise<{ label: string; text: string }[]> {
    return workbench.labsRows().evaluateAll((nodes) =>
      nodes.map((node) => {
        const label = (node.querySelector('.label-name')?.textContent ?? '').trim();
        const description = (node.querySelector('.label-description')?.textContent ?? '').trim();
        return { label, text: `${label} ${description}`.replace(/\s+/g, ' ').trim() };
      }),
    );
  }

  /** The host rows by label. */
  async function rows(): Promise<Map<string, string>> {
    return new Map((await rowList()).map((row) => [row.label, row.text]));
  }

  /** The text of the row just under `label`'s (its first child, once open). */
  async function rowUnder(label: string): Promise<string | undefined> {
    const list = await rowList();
    return list[list.findIndex((row) => row.label === label) + 1]?.text;
  }

  const describeTree = async () => {
    const found = await rows();
    const read = HOSTS.filter((host) => isRead(found.get(host))).length;
    const loading = HOSTS.filter((host) => LOADING.test(found.get(host) ?? '')).length;
    return `${HOSTS.filter((host) => found.has(host)).length}/${COUNT} host rows, ${read} read, ${loading} loading; ${FIRST}: ${found.get(FIRST) ?? '(no row)'}; ${LAST}: ${found.get(LAST) ?? '(no row)'}`;
  };

  it('(a) shows every host at once, the late one loading', async function () {
    pause = await SshdPause.pause(session.lab!, LAST, PAUSE_LIMIT_MS + 30_000);
    // The limit counts from when the tree starts reading (below), not from here.
    // The workbench's own frames while the lab loads: the longest gap between two of them is how
    // long the window could not answer a click (figures for the report, not an assertion).
    // (A string: the test's compiler would wrap a named function in a helper the page lacks.)
    await page.evaluate(`(() => {
      const watch = { start: performance.now(), last: performance.now(), longest: 0, over100: 0, frames: 0, gaps: [] };
      window.frameWatch = watch;
      const tick = (now) => {
        const gap = now - watch.last;
        watch.longest = Math.max(watch.longest, gap);
        if (gap > 100) {
          watch.over100++;
          watch.gaps.push(((watch.last - watch.start) / 1000).toFixed(2) + ' s: ' + Math.round(gap) + ' ms');
        }
        watch.frames++;
        watch.last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    await page.locator('.activitybar [aria-label^="Overlay Lab"]').first().click();
    opened = Date.now();
    // Watched closely from the click on: when the rows show, and how they fill in.
    const timeline: string[] = [];
    let last = '';
    const shown = await workbench.until(
      `all ${COUNT} host rows, ${LAST} loading`,
      async () => {
        const found = await rows();
        const t = Date.now() - opened;
        const count = { shown: HOSTS.filter((host) => found.has(host)).length, loading: HOSTS.filter((host) => LOADING.test(found.get(host) ?? '')).length, read: HOSTS.filter((host) => isRead(found.get(host))).length };
        const line = `${count.shown} shown/${count.loading} loading/${count.read} read`;
        if (line !== last) timeline.push(`${(t / 1000).toFixed(2)} s: ${line}`);
        last = line;
        if (found.has('scale')) at['lab row shown'] ??= t;
        if (count.shown === COUNT) at['all rows shown'] ??= t;
        if (count.loading) at['first row loading'] ??= t;
        if (count.read) at['first host read'] ??= t;
        return count.shown === COUNT && LOADING.test(found.get(LAST)!) ? found : undefined;
      },
      30_000,
      describeTree,
    );
    session.log(`the tree after the click (at ${new Date(opened).toISOString()}): ${timeline.join('; ')}`);
    at[`${LAST} shown loading`] = Date.now() - opened;
    // From here the product is connecting to the late host: its pause must end before the connect timeout.
    pause.endWithin(PAUSE_LIMIT_MS);
    const rowsInOrder = (await rowList()).map((row) => row.label).filter((label) => HOSTS.includes(label));
    assert.deepEqual(rowsInOrder, HOSTS, 'the host rows in the lab file\'s order');
    session.log(`when every row showed: ${HOSTS.filter((host) => isRead(shown.get(host))).length} read, ${HOSTS.filter((host) => LOADING.test(shown.get(host)!)).length} loading`);
    await workbench.widenSideBar(480);
    await session.screenshot('a-all-hosts-shown');
  });

  it(`(b) ${FIRST} opens on what was read of it while ${LAST} is still loading`, async function () {
    assert.ok(pause, '(a) paused the late host');
    await workbench.until(`${FIRST} read`, async () => (isRead((await rows()).get(FIRST)) ? true : undefined), 30_000, describeTree);
    at[`${FIRST} read`] = Date.now() - opened;
    await workbench.expand(FIRST);
    // Its interface's row gives the address the host really holds (the lab file declares none).
    const address = session.lab!.host(FIRST).mgmtAddress!;
    const iface = await workbench.until(
      `${FIRST}'s mgmt0 row with the address read from it (${address})`,
      async () => {
        const child = await rowUnder(FIRST);
        return child?.startsWith('mgmt0') && child.includes(`${address}/`) ? child : undefined;
      },
      10_000,
      async () => (await workbench.labsTree()).slice(0, 4).join(' | '),
    );
    at[`${FIRST} open on its reading`] = Date.now() - opened;
    const now = await rows();
    const last = now.get(LAST);
    await session.screenshot(`b-${FIRST}-open-${LAST}-loading`);
    session.log(`${FIRST}: ${iface}; ${LAST}: ${last}; hosts read by then: ${HOSTS.filter((host) => isRead(now.get(host))).length}`);
    assert.ok(!pause!.timedOut, `${LAST}'s pause ran out (${PAUSE_LIMIT_MS} ms) before ${FIRST} opened on its reading`);
    assert.match(last ?? '', LOADING, `${LAST} is still loading while ${FIRST} is open`);
  });

  it(`(c) ${LAST} fills in once it answers, and every host is read`, async function () {
    assert.ok(pause, '(a) paused the late host');
    await pause!.resume();
    const resumed = Date.now() - opened;
    const found = await workbench.until(
      `${LAST} read, and every other host`,
      async () => {
        const now = await rows();
        if (isRead(now.get(LAST))) at[`${LAST} read`] ??= Date.now() - opened;
        return HOSTS.every((host) => isRead(now.get(host))) ? now : undefined;
      },
      30_000,
      describeTree,
    );
    at['every host read'] = Date.now() - opened;
    const frames = (await page.evaluate('window.frameWatch')) as { longest: number; over100: number; frames: number; gaps: string[] };
    session.log(`workbench frames from the click until every host was read: ${frames.frames}, longest gap ${Math.round(frames.longest)} ms; gaps over 100 ms (from the click): ${frames.gaps.join(', ') || 'none'}`);
    session.log(`${LAST}'s sshd continued at ${(resumed / 1000).toFixed(2)} s`);
    assert.ok(at[`${LAST} read`] >= resumed, `${LAST} was read only after its sshd was continued`);
    assert.ok(at[`${FIRST} open on its reading`] < at[`${LAST} read`], `${FIRST} opened before ${LAST} was read`);
    for (const host of HOSTS) assert.doesNotMatch(found.get(host)!, FAILED, `${host}: ${found.get(host)}`);
    await workbench.expand(LAST);
    const address = session.lab!.host(LAST).mgmtAddress!;
    await workbench.until(
      `${LAST}'s mgmt0 row with ${address}`,
      async () => {
        const child = await rowUnder(LAST);
        return child?.startsWith('mgmt0') && child.includes(`${address}/`) ? true : undefined;
      },
      10_000,
      describeTree,
    );
    await session.screenshot(`c-${LAST}-read`);
    const problems = extensionHostErrors(session.collectLogs());
    assert.deepEqual(problems, [], `errors of Overlay Lab in the logs:\n${problems.join('\n')}`);
    session.log(`Labs view: ${oneLine((await workbench.labsTree()).slice(0, 3).join(' | '))} …`);
  });
});
