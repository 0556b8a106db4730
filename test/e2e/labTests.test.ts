// The lab's tests in VS Code's Testing view, end to end: the packaged extension in code-server
// (Chromium), the demo lab in network namespaces, applied by the product before the window
// opens. (a) The Testing view lists the demo lab's tests; (b) running them shows them passing;
// (c) after a fault the test injects (an OpenFlow rule on ovs-b that drops echo requests to
// test-b), the failing tests show the trace's verdict at their line, and the message's action
// draws the trace on the topology; (d) hovering over that test in the lab file shows its last
// result, read from the store the Testing view recorded it in. Screenshots in
// test-results/e2e-lab-tests/. Root only.

import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { planLab } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { loadLabFile } from '../../src/lab/load';
import { labPool } from '../lab/labFiles';
import { E2eSession, extensionHostErrors, REPO } from './support/session';
import { oneLine, Workbench } from './support/workbench';

const TEST_B = '10.213.50.12';
const DECLARED = ['sites-reach', 'full-size', 'gateways-reach', 'underlay-isolated', 'management-isolated', 'all-pairs'];

describe('e2e: lab tests in the Testing view', function () {
  this.timeout(90_000);
  const session = new E2eSession(join(REPO, 'test-results', 'e2e-lab-tests'));
  let page: Page;
  let workbench: Workbench;

  before(async function () {
    const reason = await E2eSession.cannotRun();
    if (reason && process.env.CI === 'true') throw new Error(`the end-to-end suite cannot run: ${reason}`);
    if (reason) {
      // eslint-disable-next-line no-console
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    this.timeout(600_000);
    page = await session.up();
    workbench = new Workbench(page);
    // The lab applied by the product's core (the Apply command has its own end-to-end test).
    const { lab: model } = await loadLabFile(session.labFile!);
    assert.ok(model);
    const pool = labPool(model);
    try {
      await runPlans(pool, (await planLab(pool, model)).plans);
    } finally {
      pool.dispose();
    }
    // Userspace OVS drops the first packets while it resolves the tunnel's next hop.
    await session.lab!.nsExec('test-a', ['ping', '-n', '-c', '3', '-W', '2', TEST_B], { check: false });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const shot = await session.screenshot(`failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`);
      if (shot) session.log(`screenshot of the failure: ${shot}`);
    }
  });

  after(async function () {
    this.timeout(120_000);
    await session.down();
  });

  const rows = () => page.locator('.test-explorer .monaco-list-row');
  /** Each row's own label (the first text of its `.label`, before the description). */
  async function rowNames(): Promise<string[]> {
    return rows().evaluateAll((found) => found.map((el) => el.querySelector('.label')?.firstChild?.textContent?.trim() ?? ''));
  }
  async function rowLabels(): Promise<string[]> {
    return (await rows().evaluateAll((found) => found.map((row) => row.getAttribute('aria-label') ?? ''))).map(oneLine);
  }
  /** The row whose label (not its description) is `label`: the first text of the row's `.label`, before the description's span. */
  async function rowIndex(label: string): Promise<number> {
    return rows().evaluateAll(
      (found, wanted) => found.findIndex((el) => el.querySelector('.label')?.firstChild?.textContent?.trim() === wanted),
      label,
    );
  }
  async function findRow(label: string, timeoutMs = 30_000) {
    const index = await workbench.until(`the row ${label} in the Testing view`, async () => {
      const at = await rowIndex(label);
      return at >= 0 ? at : undefined;
    }, timeoutMs, async () => `${(await rowLabels()).join(' | ')}\n  first row: ${await rows().first().evaluate((el) => el.outerHTML.slice(0, 1500)).catch(() => 'none')}`);
    return rows().nth(index);
  }
  const row = (label: string) => ({
    getAttribute: async (name: string) => (await findRow(label, 5000)).getAttribute(name),
    innerText: async () => (await findRow(label, 5000)).innerText(),
    click: async () => (await findRow(label, 5000)).click(),
  });

  async function expandRow(label: string): Promise<void> {
    const target = await findRow(label);
    if ((await target.getAttribute('aria-expanded')) === 'false') await target.locator('.monaco-tl-twistie').click();
    await workbench.until(`row ${label} expanded`, async () => ((await (await findRow(label)).getAttribute('aria-expanded')) === 'true' ? true : undefined), 10_000);
  }

  /** The Testing view's row of a test, once its aria label says `state` (Passed, Failed …). */
  async function rowState(label: string, state: RegExp, timeoutMs = 60_000): Promise<string> {
    return workbench.until(
      `the test ${label} to show ${state}`,
      async () => {
        const aria = oneLine((await row(label).getAttribute('aria-label')) ?? '');
        return state.test(aria) ? aria : undefined;
      },
      timeoutMs,
      async () => (await rowLabels()).join(' | '),
    );
  }

  it('(a) the Testing view lists the demo lab’s tests, a mesh with its pairs, and the doctor', async () => {
    // The file changes under the editor: the management test aims at ovs-b's SSH address in this lab.
    const ovsB = session.lab!.hosts().find((h) => h.name === 'ovs-b')?.sshHost;
    assert.ok(ovsB);
    writeFileSync(session.labFile!, readFileSync(session.labFile!, 'utf8').replace('to: 10.213.0.12', `to: ${ovsB}`));
    await page.locator('.activitybar [aria-label^="Testing"]').first().click();
    await expandRow('demo');
    const listed = await workbench.until(
      'every declared test of the demo lab in the Testing view',
      async () => {
        const names = await rowNames();
        return DECLARED.every((name) => names.includes(name)) && names.includes('doctor') ? names : undefined;
      },
      30_000,
      async () => (await rowNames()).join(' | '),
    );
    session.log(`Testing view: ${listed.join(' | ')}`);
    // The file change reached the tree: the management test's description names the new address.
    await workbench.until('management-isolated aimed at ovs-b’s SSH address', async () => ((await row('management-isolated').innerText()).includes(ovsB) ? true : undefined), 20_000, async () => oneLine(await row('management-isolated').innerText()));
    await expandRow('all-pairs');
    await workbench.until('the 12 pairs of the mesh', async () => ((await rowNames()).filter((l) => / -> /.test(l)).length === 12 ? true : undefined), 10_000, async () => (await rowNames()).join(' | '));
    await session.screenshot('a-testing-view-lists-the-tests');
  });

  it('(b) Run Lab Tests runs them, and every one passes', async function () {
    this.timeout(120_000);
    await workbench.runCommand('Overlay Lab: Run Lab Tests');
    await expandRow('all-pairs');
    for (const name of [...DECLARED.filter((n) => n !== 'all-pairs'), 'test-a:eth2 -> test-b:eth2']) session.log(await rowState(name, /Passed/));
    await rowState('all-pairs', /Passed/);
    const labels = await rowLabels();
    assert.ok(!labels.some((l) => /Failed|Errored/.test(l)), `no test failed: ${labels.join(' | ')}`);
    await session.screenshot('b-tests-passed');
  });

  it('(c) after a fault, the failing test shows the trace’s verdict at its line, and its action draws the trace', async function () {
    this.timeout(180_000);
    const lab = session.lab!;
    await workbench.runCommand('Overlay Lab: Open Lab File');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 20_000 });
    await lab.nsExec('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', `priority=100,icmp,nw_dst=${TEST_B},icmp_type=8,actions=drop`], { check: true });
    try {
      await workbench.runCommand('Overlay Lab: Run Lab Tests');
      session.log(await rowState('sites-reach', /Failed/, 90_000));
      await rowState('test-a:eth2 -> test-b:eth2', /Failed/, 90_000);
      await rowState('test-b:eth2 -> test-a:eth2', /Passed/, 30_000);
      await rowState('gateways-reach', /Passed/, 30_000);
      // The failure's message, peeked in the lab file at the test's line.
      const peek = page.locator('.test-output-peek, .peekview-widget').first();
      const text = await workbench.until(
        'the failure’s message in the peek at sites-reach’s line',
        async () => {
          if (!(await peek.isVisible())) {
            await row('sites-reach').click();
            await page.keyboard.press('Enter');
            return undefined;
          }
          const shown = oneLine(await peek.innerText());
          return /lost between ovs-b:\S+ and ovs-b:eth2/.test(shown) ? shown : undefined;
        },
        30_000,
        async () => `peek ${(await peek.isVisible()) ? `reads "${oneLine(await peek.innerText()).slice(0, 300)}"` : 'not shown'}`,
      );
      session.log(`peek: ${text.slice(0, 300)}`);
      await session.screenshot('c-failure-with-the-trace-verdict');

      const action = page.getByText('Show Trace on Topology', { exact: true }).locator('visible=true').first();
      await action.waitFor({ state: 'visible', timeout: 20_000 }).catch(async () => {
        const found = await page.evaluate(() => Array.from(document.querySelectorAll('*')).filter((el) => el.children.length === 0 && /Show Trace on Topology/.test(el.textContent ?? '')).map((el) => el.parentElement?.outerHTML.slice(0, 400)));
        throw new Error(`no visible "Show Trace on Topology" action on the failure; elements with that text: ${found.join(' || ') || 'none'}`);
      });
      await action.click();
      const view = await workbench.topologyWebview(30_000);
      const notice = await workbench.until(
        'the trace’s verdict in the banner above the diagram (#trace)',
        async () => {
          const banner = view.locator('#trace');
          if (!(await banner.isVisible())) return undefined;
          const shown = oneLine(await banner.locator('.trace-summary').innerText());
          // Drawn as Trace Path draws a trace: the leg, the place and the measured cause.
          return /lost on the request leg \(ICMP echo\) between ovs-b:\S+ and ovs-b:eth2.*openflow-drop, proved/.test(shown) ? shown : undefined;
        },
        20_000,
        async () => oneLine(await view.locator('#trace').innerText().catch(() => '')),
      );
      session.log(`topology notice: ${notice}`);
      await view.locator('#fit').dispatchEvent('click');
      await page.waitForTimeout(1000);
      await session.screenshot('c-trace-drawn-on-the-topology');
    } finally {
      await lab.nsExec('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', `icmp,nw_dst=${TEST_B}`], { check: false });
    }
    for (const host of ['ovs-a', 'ovs-b', 'test-a', 'test-b']) assert.deepEqual(await lab.processes(host, /tcpdump|ping/), [], `${host} still runs a capture or ping`);
    const problems = extensionHostErrors(session.collectLogs());
    assert.deepEqual(problems, [], `errors of Overlay Lab in the logs:\n${problems.join('\n')}`);
  });

  it('(d) hovering over the failed test in the lab file shows its last result: failed, when, how long, and the trace’s verdict', async function () {
    this.timeout(60_000);
    await workbench.runCommand('Overlay Lab: Open Lab File');
    // One lab in the workspace: it opens at once; with more, the command asks which.
    await page.waitForTimeout(500);
    if ((await workbench.quickPickQuestion()) === 'Open which lab file?') await workbench.pickQuickItem('demo');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    const text = readFileSync(session.labFile!, 'utf8');
    const at = text.indexOf('  sites-reach:');
    assert.ok(at >= 0, 'the lab file has the test sites-reach');
    const before = text.slice(0, at + 4);
    const goTo = page.locator('.quick-input-widget input.input');
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+G');
      await goTo.waitFor({ state: 'visible', timeout: 10_000 });
      try {
        // Filled into the input itself: keys typed before it has the focus would land in the file.
        await goTo.fill(`:${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`, { timeout: 5000 });
        break;
      } catch (error) {
        // The widget may still be closing from the command before (inert, then hidden): again.
        if (attempt >= 3) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await goTo.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover-content .hover-contents').first();
    const showHover = async () => {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
    };
    await showHover();
    const shown = await workbench.until(
      'the hover of the test sites-reach with its last result',
      async () => {
        const content = oneLine((await hover.innerText({ timeout: 1000 }).catch(() => '')) ?? '');
        if (/test sites-reach/.test(content)) return content;
        // Asked again until it shows (the first ask may come before the editor has the cursor).
        await showHover();
        return undefined;
      },
      20_000,
      async () => `hover: ${oneLine(await hover.innerText().catch(() => 'none'))}`,
    );
    session.log(`hover on sites-reach: ${shown}`);
    // The result of (c)'s run: failed, with the time and how long, and the trace's verdict.
    assert.match(shown, /test sites-reach: failed, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, took \d+(\.\d)? (s|ms)/);
    assert.match(shown, /place: lost between ovs-b:\S+ and ovs-b:eth2/);
    assert.match(shown, /cause: openflow-drop \(proved\)/);
    assert.match(shown, /measured: /);
    await session.screenshot('d-hover-test-last-result');
    await page.keyboard.press('Escape');
  });
});
