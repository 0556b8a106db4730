// The packaged extension in a real VS Code (code-server 4.139.1, VS Code 1.139) driven in headless
// Chromium, against the demo lab built in network namespaces: the Labs view, Apply from the
// command palette, the topology panel, a capture pane, a lab script as a task, a path trace drawn
// on the topology (delivered, then lost where the test breaks the path, then lost on the reply
// leg with its report opened read-only). Each test leaves a screenshot in test-results/e2e/ for a
// person to look at. Root only (the lab); `npm run test:e2e`.
//
// The tests run in order on one window and one lab: (a) sees the blank lab, (b) applies it, (c)
// to (g) use the applied lab.

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { run } from '../lab';
import { E2eSession, extensionHostErrors, VIEWPORT } from './support/session';
import { oneLine, tabSelector, Workbench, xtermLines, xtermText } from './support/workbench';

const HOSTS = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];
/** Words a host row shows while it is not (yet) read, or when it could not be. */
const NOT_READ = /unreachable|could not read|connecting…|reading…/;

describe('e2e: the packaged extension in code-server', function () {
  // Setup may install code-server into the cache on a first run (a few minutes).
  this.timeout(90_000);
  const session = new E2eSession();
  let page: Page;
  let workbench: Workbench;
  /** (c) to (f) need the lab that (b) applies. */
  let applied = false;
  function needsApplied(context: Mocha.Context): void {
    if (applied) return;
    session.log('(skipped: (b) did not bring the lab up)');
    context.skip();
  }

  before(async function () {
    const reason = await E2eSession.cannotRun();
    // CI installs everything the suite needs: there, a missing piece is a failure, not a skip.
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
      const shot = await session.screenshot(`failed-${slug(this.currentTest.title)}`);
      if (shot) session.log(`screenshot of the failure: ${shot}`);
      if (session.consoleErrors.length) session.log(`workbench console errors:\n        ${session.consoleErrors.slice(-10).join('\n        ')}`);
    }
  });

  after(async function () {
    this.timeout(120_000);
    await session.down();
    const times = Object.entries(session.timings).map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`);
    if (times.length) session.log(`timings: ${times.join(', ')}`);
  });

  /** Every host's row, once each one shows its state read (none is still connecting or unreachable). */
  async function hostRowsRead(what: string, accept: (rows: Map<string, string>) => boolean, timeoutMs = 60_000): Promise<Map<string, string>> {
    return workbench.until(
      what,
      async () => {
        const rows = new Map<string, string>();
        for (const host of HOSTS) {
          const row = workbench.labsRow(host);
          if (!(await row.isVisible())) return undefined;
          rows.set(host, oneLine(await row.innerText()));
        }
        const read = [...rows.values()].every((text) => /\bOVS\b/.test(text) && !NOT_READ.test(text));
        if (!read || !accept(rows)) return undefined;
        // A reading may be under way that the rows do not show yet: the state must hold a moment.
        await page.waitForTimeout(1000);
        for (const host of HOSTS) if (oneLine(await workbench.labsRow(host).innerText()) !== rows.get(host)) return undefined;
        return rows;
      },
      timeoutMs,
      async () => `Labs view: ${(await workbench.labsTree()).join(' | ')}; notifications: ${(await workbench.notifications()).join(' | ') || 'none'}`,
    );
  }

  it('(a) the Labs view lists the lab and its hosts, reachable, and the blank lab drifts', async function () {
    const started = Date.now();
    await workbench.openOverlayLabView();
    await workbench.until('the lab "demo" in the Labs view', async () => ((await workbench.labsRow('demo').isVisible()) ? true : undefined), 30_000, async () => (await workbench.labsTree()).join(' | '));
    await workbench.expand('demo');

    await workbench.runCommand('Overlay Lab: Check Connections');
    const report = await workbench.waitForNotification(/^demo: (all|\d+\/)/);
    assert.match(report, /demo: all 4 hosts reachable/, `Check Connections says: ${report}`);

    await workbench.runCommand('Overlay Lab: Refresh Labs');
    // The lab is blank (no bridges, no addresses): every host drifts from the lab file.
    const rows = await hostRowsRead('every host read, each with drift', (found) => [...found.values()].every((text) => /⚠ \d+ drifts?/.test(text)));
    session.log(`Labs view: ${(await workbench.labsTree()).join(' | ')}`);
    session.log(`notifications: ${(await workbench.notifications()).join(' | ')}`);
    for (const host of HOSTS) assert.match(rows.get(host)!, new RegExp(`^${host}\\s*root@`), `row of ${host}: ${rows.get(host)}`);
    for (const host of ['ovs-a', 'ovs-b']) assert.match(rows.get(host)!, /OVS \d/, `${host} runs Open vSwitch: ${rows.get(host)}`);
    await session.screenshot('a-labs-view-blank-lab');
    session.timings['test (a) labs view'] = Date.now() - started;
  });

  it('(b) Overlay Lab: Apply from the command palette brings the lab up, and the drift goes', async function () {
    this.timeout(240_000);
    const started = Date.now();
    await workbench.clearNotifications();
    await workbench.runCommand('Overlay Lab: Apply');
    const question = await workbench.answerDialog('Apply');
    assert.match(question, /Apply \d+ changes? to/, `the confirmation reads: ${question}`);
    for (const host of HOSTS) assert.ok(question.includes(host), `the confirmation names ${host}: ${question}`);
    const outcome = await workbench.waitForNotification(/^demo: (applied|apply)/, 120_000);
    assert.match(outcome, /^demo: applied \d+ changes? to 4 hosts\./, `Apply ends with: ${outcome}`);

    const rows = await hostRowsRead('every host read again, none drifting', (found) => [...found.values()].every((text) => !/drift/.test(text)));
    session.log(`Labs view: ${[...rows.values()].join(' | ')}`);
    await workbench.expand('ovs-a');
    await workbench.until('ovs-a\'s bridges br0 and br-phy in the tree', async () => ((await workbench.labsRow('br0').isVisible()) && (await workbench.labsRow('br-phy').isVisible()) ? true : undefined), 20_000, async () => (await workbench.labsTree()).join(' | '));
    applied = true;
    await session.screenshot('b-applied');
    session.timings['test (b) apply'] = Date.now() - started;
  });

  it('(c) Overlay Lab: Show Topology draws every host, bridge, tunnel and segment', async function () {
    needsApplied(this);
    const started = Date.now();
    await workbench.clearNotifications();
    await workbench.runCommand('Overlay Lab: Show Topology');
    const view = workbench.webview();
    const items = view.locator('#node-list li');
    const texts = await workbench.until(
      'the topology\'s node list to name every host, bridge, tunnel port and segment',
      async () => {
        const found = (await items.allInnerTexts()).map(oneLine);
        const count = (pattern: RegExp) => found.filter((text) => pattern.test(text)).length;
        return count(/^host /) === 4 && count(/^bridge /) === 4 && count(/^port vx0:/) === 2 && count(/^segment /) === 3 ? found : undefined;
      },
      60_000,
      async () => `node list: ${(await items.allInnerTexts().catch(() => [] as string[])).map(oneLine).join(' | ') || 'empty'}`,
    );
    session.log(`node list (${texts.length}): ${texts.map((text) => text.split(':')[0]).join(', ')}`);
    for (const text of texts.filter((line) => /^(port vx0|segment wan)/.test(line))) session.log(`  ${text}`);
    for (const host of HOSTS) assert.ok(texts.some((text) => text.startsWith(`host ${host}:`)), `the node list has host ${host}`);
    for (const bridge of ['br0', 'br-phy']) assert.equal(texts.filter((text) => text.startsWith(`bridge ${bridge}:`)).length, 2, `${bridge} on both OVS hosts`);
    // The tunnel: a VXLAN port at each end (the edge between them is drawn on the canvas).
    for (const text of texts.filter((line) => line.startsWith('port vx0:'))) assert.match(text, /vxlan/i, `the tunnel port says what it is: ${text}`);
    for (const segment of ['cn-a', 'cn-b', 'wan']) assert.ok(texts.some((text) => text.startsWith(`segment ${segment}:`)), `the node list has segment ${segment}`);
    const troubled = texts.filter((text) => /: (down|admin down|unreachable|missing|drifted|not read)\./.test(text));
    assert.deepEqual(troubled, [], 'after Apply no node is down, unreachable, missing, drifted or unread');
    const canvas = view.locator('#graph canvas').first();
    await canvas.waitFor({ state: 'visible', timeout: 20_000 });
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 150, `the diagram's canvas has a size: ${JSON.stringify(box)}`);
    await page.waitForTimeout(1500); // the layout animates into place
    await session.screenshot('c-topology');
    session.timings['test (c) topology'] = Date.now() - started;
  });

  it('(d) a capture pane on ovs-a:eth2 shows the packets of a ping', async function () {
    needsApplied(this);
    const started = Date.now();
    const view = workbench.webview();
    const button = view.locator('#node-list button', { hasText: 'Capture on ovs-a:eth2' }).first();
    await button.waitFor({ state: 'attached', timeout: 20_000 }).catch(async () => {
      throw new Error(`no "Capture on ovs-a:eth2" in the node list: ${(await view.locator('#node-list button').allInnerTexts()).join(' | ')}`);
    });
    // The node list is the diagram's screen-reader twin, visually hidden: clicked as a keyboard would.
    await button.dispatchEvent('click');
    const pane = view.locator('.pane').first();
    await workbench.until(
      'the capture pane to be listening',
      async () => ((await pane.getAttribute('data-state')) === 'listening' ? true : undefined),
      30_000,
      async () => `pane state ${await pane.getAttribute('data-state').catch(() => 'none')}, status "${await view.locator('.pane-status').first().innerText().catch(() => '')}", error "${await view.locator('.pane-error').first().innerText().catch(() => '')}"`,
    );

    const lab = session.lab!;
    lab.assertNamespaces();
    // test-a to test-b: across ovs-a's eth2, through the VXLAN tunnel.
    const ping = await lab.nsExec('test-a', ['ping', '-c', '3', '-i', '0.3', '-W', '2', '10.213.50.12'], { check: false, timeoutMs: 15_000 });
    session.log(`ping from test-a: ${oneLine(ping.stdout).replace(/.*(\d+ packets transmitted.*?loss).*/, '$1')}`);
    assert.equal(ping.code, 0, `test-a reaches test-b over the overlay: ${ping.stdout}${ping.stderr}`);

    const rows = view.locator('.pane .xterm-rows').first();
    const text = await workbench.until(
      'ICMP echo lines in the capture pane',
      async () => {
        const shown = await xtermText(rows);
        return (shown.match(/10\.213\.50\.11 > 10\.213\.50\.12: ICMP echo request/g) ?? []).length >= 3 && /ICMP echo reply/.test(shown) ? shown : undefined;
      },
      20_000,
      async () => `pane: ${await xtermText(rows).catch(() => '')}; status "${await view.locator('.pane-status').first().innerText().catch(() => '')}"`,
    );
    session.log(`capture pane: ${(text.match(/ICMP echo (request|reply)/g) ?? []).length} ICMP echo lines; status "${await view.locator('.pane-status').first().innerText()}"`);
    await session.screenshot('d-capture-pane');
    session.timings['test (d) capture'] = Date.now() - started;
  });

  it('(d2) Pause holds every line of a flood and Resume shows them all, in order; the buttons stay where they were', async function () {
    needsApplied(this);
    const started = Date.now();
    const view = workbench.webview();
    const pane = view.locator('.pane').first();
    const number = async (name: string) => Number((await pane.getAttribute(`data-${name}`)) ?? 'NaN');
    const status = () => pane.locator('.pane-status').innerText();
    /** Where each toolbar button is, to the pixel. */
    const boxes = async () => {
      const out: Record<string, string> = {};
      for (const action of ['start', 'pause', 'clear', 'save', 'time']) {
        const box = await pane.locator(`[data-action="${action}"]`).boundingBox();
        assert.ok(box, `the ${action} button is on the page`);
        out[action] = `${box.x},${box.y} ${box.width}x${box.height}`;
      }
      return out;
    };
    assert.equal(await pane.getAttribute('data-state'), 'listening', 'the pane of (d) still listens');
    const before = await boxes();
    // A real click, where the button is.
    await pane.locator('[data-action="pause"]').click();
    await workbench.until('the pane to say it is paused', async () => (/paused: 0 lines held of at most 20,000/.test(await status()) ? true : undefined), 5_000, status);
    const shownAtPause = await number('shown');
    const packetsAtPause = await number('packets');
    const rows = view.locator('.pane .xterm-rows').first();
    const screenAtPause = await xtermText(rows);

    // A bounded flood across the tunnel, to the lab's own address only: 2,000 echoes, each a request and a reply on ovs-a:eth2.
    const lab = session.lab!;
    lab.assertNamespaces();
    const flood = await lab.nsExec('test-a', ['ping', '-f', '-c', '2000', '-W', '1', '10.213.50.12'], { check: false, timeoutMs: 60_000 });
    session.log(`flood from test-a: ${oneLine(flood.stdout).replace(/.*?(\d+ packets transmitted.*?loss).*/, '$1')}`);
    const packetsSeen = await workbench.until(
      'the pane to count every frame of the flood',
      async () => {
        const packets = (await number('packets')) - packetsAtPause;
        return packets >= 4000 ? packets : undefined;
      },
      30_000,
      async () => `status "${await status()}"`,
    );
    await page.waitForTimeout(500); // the last batch
    const held = await number('held');
    const pausedStatus = await status();
    session.log(`paused: ${packetsSeen} frames counted, ${held} lines held; status "${pausedStatus}"`);
    assert.equal(await xtermText(rows), screenAtPause, 'nothing is written while paused');
    assert.equal(await number('not-held'), 0, 'under the hold limit, every line is held');
    assert.equal(held, (await number('packets')) - packetsAtPause, 'one line held per frame counted (plain frames on ovs-a:eth2)');
    assert.match(pausedStatus, new RegExp(`paused: ${held.toLocaleString('en-US')} lines held of at most 20,000`));
    const whilePaused = await boxes();
    assert.deepEqual(whilePaused, before, 'the buttons have not moved while the status grew');
    await session.screenshot('d2-paused');

    await pane.locator('[data-action="pause"]').click();
    const replayStarted = Date.now();
    await workbench.until('every held line replayed', async () => ((await number('held')) === 0 ? true : undefined), 30_000, async () => `status "${await status()}"`);
    const replayMs = Date.now() - replayStarted;
    const shown = (await number('shown')) - shownAtPause;
    session.log(`resumed: ${shown} lines shown of ${held} held, replayed in ${replayMs} ms; status "${await status()}"`);
    assert.equal(shown, held, 'Resume shows every held line');
    assert.equal(await number('not-held'), 0);
    assert.doesNotMatch(await status(), /skipped/, 'nothing was skipped');
    // The last lines are the flood's last echoes: the replay kept the order to its end.
    const last = await xtermText(rows);
    assert.match(last, /ICMP echo reply, id \d+, seq 2000, length/, 'the last echo reply of the flood is on screen after the replay');
    assert.deepEqual(await boxes(), before, 'the buttons are where they were');
    await session.screenshot('d2-resumed');
    session.timings['test (d2) pause and resume'] = Date.now() - started;
  });

  it('(d3) one merged pane over three hosts interleaves a ping by time, each line prefixed by its host:iface, with each clock', async function () {
    needsApplied(this);
    const started = Date.now();
    await workbench.runCommand('Overlay Lab: Capture on Several Interfaces (One Timeline)');
    // One lab in the workspace: the interfaces are asked for at once (or the lab first).
    await workbench.until('a quick pick', async () => ((await workbench.quickPickQuestion()) ? true : undefined), 10_000);
    if (/which lab/i.test((await workbench.quickPickQuestion()) ?? '')) await page.locator('.quick-input-list .monaco-list-row').first().click();
    await workbench.until('the interfaces to pick from', async () => (/Tick two or more interfaces/.test((await workbench.quickPickQuestion()) ?? '') ? true : undefined), 10_000, async () => `question "${await workbench.quickPickQuestion()}"`);
    const merged = ['test-a:eth2', 'ovs-a:eth0', 'test-b:eth2'];
    for (const label of merged) {
      await page.locator('.quick-input-widget input.input').fill(label);
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      const box = row.locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first();
      if ((await box.count()) > 0) await box.click();
      else await row.click();
    }
    await page.locator('.quick-input-widget input.input').fill('');
    await page.keyboard.press('Enter');
    const view = workbench.webview();
    const pane = view.locator('.pane').last();
    await workbench.until(
      'the merged pane to be listening with three clocks measured',
      async () => ((await pane.getAttribute('data-state')) === 'listening' && (await pane.locator('.pane-source').count()) === 3 && !/measuring/.test(await pane.locator('.pane-legend').innerText()) ? true : undefined),
      30_000,
      async () => `state ${await pane.getAttribute('data-state').catch(() => 'none')}, legend "${await pane.locator('.pane-legend').innerText().catch(() => '')}", error "${await pane.locator('.pane-error').innerText().catch(() => '')}"`,
    );
    const legend = oneLine(await pane.locator('.pane-legend').innerText());
    session.log(`merged legend: ${legend}`);
    for (const label of merged) assert.match(legend, new RegExp(`${label} clock [+−]\\d+\\.\\d{3} ms ± \\d+\\.\\d{3} ms`));
    // ICMP, plain or inside VXLAN (the inner ethertype IPv4, 28 bytes into the UDP header): an ARP
    // that a host sends on its own to refresh a neighbour must not count as the ping's frames.
    const filter = 'icmp or (udp port 4789 and udp[28:2] = 0x0800)';
    await pane.locator('.pane-filter').locator('input').fill(filter).catch(async () => {
      await pane.locator('.pane-filter').click();
      await page.keyboard.type(filter);
    });
    await pane.locator('.pane-filter').press('Enter');
    await workbench.until('the merged pane to restart with the filter', async () => ((await pane.getAttribute('data-state')) === 'listening' && (await xtermText(pane.locator('.xterm-rows'))).replace(/\s+/g, '').includes(filter.replace(/\s+/g, '')) ? true : undefined), 30_000);
    // Tall enough for the six frames (a line of each wraps): as a user drags the splitter up.
    await pane.evaluate(() => document.documentElement.style.setProperty('--panes-height', '85vh'));
    await page.waitForTimeout(500);
    const lab = session.lab!;
    lab.assertNamespaces();
    const ping = await lab.nsExec('test-a', ['ping', '-c', '1', '-W', '2', '10.213.50.12'], { check: false, timeoutMs: 10_000 });
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);
    const rows = pane.locator('.xterm-rows');
    // The frames of the filtered run: what the unfiltered run caught before (a neighbour's ARP) stays above its header.
    const sinceFilter = (shown: string[]) => shown.slice(shown.map((line) => line.replace(/\s+/g, '').includes(filter.replace(/\s+/g, ''))).lastIndexOf(true) + 1);
    const lines = await workbench.until(
      'the ping through three hosts in the merged pane',
      async () => {
        // A frame's first line starts with its time; a VXLAN frame's inner line follows, indented.
        const framesShown = sinceFilter(await xtermLines(rows)).filter((line) => /^\d\d:\d\d:\d\d\.\d{6} /.test(line));
        return framesShown.length >= 6 ? xtermLines(rows) : undefined;
      },
      20_000,
      async () => (await xtermLines(rows)).join('\n'),
    );
    session.log(`merged pane:\n        ${lines.join('\n        ')}`);
    const sources = sinceFilter(lines).filter((line) => /^\d\d:\d\d:\d\d\.\d{6} /.test(line)).map((line) => line.split(/\s+/)[1]);
    assert.deepEqual(sources, ['test-a:eth2', 'ovs-a:eth0', 'test-b:eth2', 'test-b:eth2', 'ovs-a:eth0', 'test-a:eth2'], 'request along the path, the reply back');
    await session.screenshot('d3-merged-pane');
    session.timings['test (d3) merged pane'] = Date.now() - started;
  });

  it('(e) the lab script "demo: versions" runs from Tasks: Run Task, its output in the terminal', async function () {
    needsApplied(this);
    const started = Date.now();
    await workbench.runCommand('Tasks: Run Task');
    const input = page.locator('.quick-input-widget input.input');
    await input.fill('demo: versions');
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: /versions/ }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 }).catch(async () => {
      throw new Error(`Run Task does not offer demo: versions; it lists: ${(await workbench.quickPickRows()).join(' | ') || 'nothing'}`);
    });
    session.log(`Run Task offers: ${(await workbench.quickPickRows()).join(' | ')}`);
    await row.click();
    // VS Code may ask whether to scan the task's output: go on without.
    const scan = page.locator('.quick-input-list .monaco-list-row', { hasText: /Continue without scanning/ }).first();
    if (await scan.isVisible({ timeout: 2000 }).catch(() => false)) await scan.click();

    await workbench.until(
      'the run\'s closing line in the task\'s terminal',
      async () => (/versions succeeded on all 4 hosts/.test(await workbench.terminalText()) ? true : undefined),
      60_000,
      async () => `terminal: ${oneLine(await workbench.terminalText())}`,
    );
    // The whole run in view: a terminal shows only the rows that fit (the DOM renderer draws no more).
    await workbench.resizePanel(VIEWPORT.height - 440);
    const output = await workbench.until(
      'every host\'s kernel, distribution and Open vSwitch in the task\'s terminal',
      async () => {
        const shown = await workbench.terminalText();
        const all = HOSTS.every((host) => ['\\d+\\.\\d+\\.\\d+', 'Debian|Ubuntu', 'Open vSwitch'].every((what) => new RegExp(`${host}\\s*\\|\\s*.*(${what})`).test(shown)));
        return all && /Running versions on 4 hosts/.test(shown) ? shown : undefined;
      },
      20_000,
      async () => `terminal: ${oneLine(await workbench.terminalText())}`,
    );
    session.log(`terminal:\n        ${output.split('\n').filter((line) => line.trim()).join('\n        ')}`);
    for (const host of HOSTS) assert.match(output, new RegExp(`${host}\\s*\\|\\s*✓ ok`), `${host} ends ok`);
    await session.screenshot('e-task-terminal');
    session.timings['test (e) task'] = Date.now() - started;
  });

  /** The report of the route test-a:eth2 → test-b: a read-only document, one per route. */
  const REPORT_TAB = 'Trace test-a:eth2 → 10.213.50.12.md';

  interface TraceSeen {
    notification: string;
    /** The banner above the diagram: the summary, the cause, the evidence, every point of both legs. */
    summary: string;
    cause: string;
    evidence: string[];
    legs: string;
    /** The node list's words for the source's eth2 (the diagram's screen-reader twin). */
    sourceNode: string;
  }

  /** Trace Path from F1: the lab (when asked), test-a (one addressed interface: no interface to pick), 10.213.50.12. */
  async function trace(verdict: RegExp): Promise<TraceSeen> {
    // A quick pick closes when something takes the focus (a webview may, as the layout settles);
    // the trace has not started then, and is asked for once more.
    for (let attempt = 1; ; attempt++) {
      try {
        await askForTrace();
        break;
      } catch (error) {
        if (attempt >= 2 || (await page.locator('.quick-input-widget').isVisible())) throw error;
        session.log(`(the quick pick closed before Trace Path's questions were answered: ${(error as Error).message.split('\n')[0]}; once more)`);
      }
    }
    return traceVerdict(verdict);
  }

  async function askForTrace(): Promise<void> {
    await workbench.clearNotifications();
    await workbench.runCommand('Overlay Lab: Trace Path…');
    const first = await workbench.until('Trace Path\'s first question', async () => {
      const question = await workbench.quickPickQuestion();
      return question && question !== '' && !question.startsWith('>') && /lab|host/.test(question) ? question : undefined;
    }, 15_000, async () => `quick pick: "${await workbench.quickPickQuestion()}", rows ${(await workbench.quickPickRows()).join(' | ')}; notifications: ${(await workbench.notifications()).join(' | ') || 'none'}`);
    if (/which lab/.test(first)) {
      await workbench.pickQuickItem('demo');
      await workbench.until('the question of the source host', async () => (/from which host/.test((await workbench.quickPickQuestion()) ?? '') ? true : undefined), 10_000);
    }
    assert.match((await workbench.quickPickQuestion()) ?? '', /Send the probe from which host\?/);
    await workbench.pickQuickItem('test-a');
    const question = await workbench.until('the question of the destination', async () => {
      const asked = await workbench.quickPickQuestion();
      return asked && /to which address/.test(asked) ? asked : undefined;
    }, 10_000, async () => `quick pick: "${await workbench.quickPickQuestion()}", rows ${(await workbench.quickPickRows()).join(' | ')}`);
    assert.match(question, /^Trace from test-a:eth2 to which address\?/, 'test-a has one addressed interface, eth2, and no interface is asked for');
    await workbench.pickQuickItem('10.213.50.12');
  }

  /** The verdict as the notification, the banner and the node list show it. */
  async function traceVerdict(verdict: RegExp): Promise<TraceSeen> {
    const notification = await workbench.waitForNotification(/^Overlay Lab: test-a:eth2 → 10\.213\.50\.12: /, 90_000);
    assert.match(notification, verdict, `the trace ends with: ${notification}`);
    const view = await workbench.topologyWebview();
    const banner = view.locator('#trace');
    const summary = await workbench.until(
      'the verdict above the diagram (#trace)',
      async () => {
        if (!(await banner.isVisible())) return undefined;
        const text = oneLine(await banner.locator('.trace-summary').innerText());
        return verdict.test(text) ? text : undefined;
      },
      20_000,
      async () => `#trace ${(await banner.isVisible()) ? 'reads' : 'is hidden:'} "${oneLine(await banner.innerText().catch(() => ''))}"`,
    );
    const cause = oneLine((await banner.locator('.trace-cause').allTextContents()).join(' '));
    const evidence = (await banner.locator('.trace-evidence li').allTextContents()).map(oneLine);
    const legs = oneLine((await banner.locator('.trace-legs').allTextContents()).join(' '));
    const sourceNode = oneLine((await view.locator('#node-list li[data-node="iface:test-a/eth2"]').allTextContents()).join(' '));
    // The whole diagram in view, its marks settled.
    await view.locator('#fit').dispatchEvent('click');
    await page.waitForTimeout(1000);
    return { notification, summary, cause, evidence, legs, sourceNode };
  }

  /** One report for the route, read-only (no unsaved changes, no Untitled document), whatever the number of traces. */
  async function oneReport(): Promise<void> {
    const tabs = await workbench.until('the trace report\'s tab', async () => {
      const found = await workbench.editorTabs();
      return found.some((tab) => tab.label === REPORT_TAB) ? found : undefined;
    }, 15_000, async () => `tabs: ${(await workbench.editorTabs()).map((tab) => tab.label).join(' | ')}`);
    session.log(`editor tabs: ${tabs.map((tab) => `${tab.label}${tab.dirty ? ' (unsaved)' : ''}`).join(' | ')}`);
    assert.equal(tabs.filter((tab) => tab.label === REPORT_TAB).length, 1, 'one report tab for the route');
    assert.deepEqual(tabs.filter((tab) => /^Untitled|Trace/.test(tab.label) && tab.label !== REPORT_TAB).map((tab) => tab.label), [], 'no other report, and no untitled document');
    assert.ok(!tabs.some((tab) => tab.dirty), 'no tab holds unsaved changes');
  }

  /** The report's "Save Frames as pcapng…" lens, clicked; code-server's save dialog (a path in a quick input) accepts the name it offers. */
  async function saveFramesFromReport(): Promise<{ file: string; said: string }> {
    await workbench.clearNotifications();
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Save Frames as pcapng' });
    await workbench.until('the report\'s Save Frames as pcapng… lens', async () => ((await lens.count()) > 0 ? true : undefined), 15_000, async () => `lenses: ${oneLine((await page.locator('.monaco-editor .codelens-decoration').allInnerTexts()).join(' | ')) || 'none'}`);
    await lens.first().click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    const offered = await workbench.until('the save dialog to offer a file name', async () => {
      const value = await input.inputValue();
      return value.endsWith('.pcapng') ? value : undefined;
    }, 10_000, async () => `the dialog holds "${await input.inputValue()}"`);
    session.log(`the save dialog offers: ${offered}`);
    await session.screenshot('f-trace-save-frames-dialog');
    await page.keyboard.press('Enter');
    const said = await workbench.waitForNotification(/^Overlay Lab: wrote \d+ packets of \d+ interfaces/, 20_000);
    return { file: join(session.workspace!, 'trace test-a-eth2 to 10.213.50.12.pcapng'), said };
  }

  it('(f) a trace draws its verdict on the topology: delivered, then lost where the path is broken; one report for both', async function () {
    needsApplied(this);
    this.timeout(180_000);
    const started = Date.now();
    const lab = session.lab!;
    // The diagram in full view: the task's terminal from (e), the side bar and the capture pane
    // from (d) out of the way (closing the pane stops its capture).
    await workbench.runCommand('View: Hide Panel').catch(() => workbench.closeQuickInput());
    await workbench.runCommand('View: Close Primary Side Bar').catch(() => workbench.closeQuickInput());
    const topology = await workbench.topologyWebview();
    const paneClose = topology.locator('#panes .tab-close');
    // Clicked without moving the focus into the webview (a focused webview can take it back from F1's palette).
    for (let left = await paneClose.count(); left > 0; left--) await paneClose.first().dispatchEvent('click');
    await workbench.until('the capture panes to close', async () => ((await topology.locator('.pane').count()) === 0 ? true : undefined), 10_000);

    // The healthy lab: delivered, every point of both legs seen.
    await lab.nsExec('test-a', ['ip', 'neigh', 'flush', 'dev', 'eth2'], { check: false });
    const delivered = await trace(/: delivered\./);
    session.log(`notification: ${delivered.notification}`);
    session.log(`banner: ${delivered.summary} | ${delivered.legs}`);
    assert.ok(delivered.summary.includes('test-a:eth2 → 10.213.50.12: delivered.'), `the banner reads: ${delivered.summary}`);
    assert.equal(delivered.cause, '', 'a delivered trace states no cause');
    assert.match(delivered.legs, /ICMP echo reply: test-b:eth2 ✔ \d+ · .* · test-a:eth2 ✔ \d+/, 'the answer was followed back to the source');
    assert.doesNotMatch(delivered.legs, /✘|lost here/);
    await oneReport();
    await session.screenshot('f-trace-delivered');

    // The report offers the frames the trace saw: one pcapng, an interface per host:iface, in the trace's order.
    const saved = await saveFramesFromReport();
    session.log(`saved: ${saved.said}`);
    assert.match(saved.said, /wrote \d+ packets of 6 interfaces/);
    assert.ok(existsSync(saved.file), `the pcapng is in the workspace folder under the name offered: ${saved.file}`);
    const info = (await run(['capinfos', '-I', saved.file], { timeoutMs: 10_000 })).stdout;
    assert.deepEqual([...info.matchAll(/^\s+Name = (.*)$/gm)].map((match) => match[1]), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2']);
    const echoes = (await run(['tshark', '-r', saved.file, '-Y', 'icmp.type == 8', '-T', 'fields', '-e', 'frame.interface_name'], { timeoutMs: 20_000 })).stdout.trim().split('\n');
    assert.deepEqual(echoes, ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2'], 'the echo request at every point, in path order');

    // The provider network cn-b drops frames from ovs-b's gateway port whose source MAC is not its own.
    const ownMac = (await lab.nsExec('ovs-b', ['cat', '/sys/class/net/eth2/address'])).stdout.trim();
    assert.match(ownMac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, `ovs-b's eth2 MAC: ${ownMac}`);
    const segment = ['ip', 'netns', 'exec', lab.segmentNamespace('cn-b')];
    await run([...segment, 'nft', `table bridge ole2e_antispoof { chain forward { type filter hook forward priority 0; policy accept; iifname "p0" ether saddr != ${ownMac} drop; }; }`], { timeoutMs: 10_000 });
    try {
      const lost = await trace(/: lost on the request leg /);
      session.log(`notification: ${lost.notification}`);
      session.log(`banner: ${lost.summary} | ${lost.cause} | ${lost.evidence.join(' | ')}`);
      assert.match(lost.summary, /test-a:eth2 → 10\.213\.50\.12: lost on the request leg \((ARP|ICMP echo)\) between ovs-b:eth2 and test-b:eth2 \(cn-b\): mac-filter, proved\./, `the banner reads: ${lost.summary}`);
      assert.ok(lost.evidence.some((line) => line.includes(ownMac)), `the evidence names ovs-b:eth2's own MAC ${ownMac}: ${lost.evidence.join(' | ')}`);
      // The same route traced again: its report is replaced, not doubled.
      await oneReport();
      await session.screenshot('f-trace-lost');
    } finally {
      await run([...segment, 'nft', 'delete table bridge ole2e_antispoof'], { check: false, timeoutMs: 10_000 });
    }
    const left = await run([...segment, 'nft', 'list', 'tables'], { check: false, timeoutMs: 10_000 });
    assert.doesNotMatch(left.stdout, /ole2e_antispoof/, 'the rule that broke the path is gone');
    session.timings['test (f) trace'] = Date.now() - started;
  });

  /** The cursor to a 1-based line and column of the active editor (Go to Line/Column). */
  async function cursorTo(line: number, col: number): Promise<void> {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(`${line}:${col}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Line and column (1-based) of the `nth` place `needle` is written in the lab file, plus `shift` characters. */
  function placeOf(text: string, needle: string, shift = 0, nth = 0): { line: number; col: number } {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `the lab file has ${needle}`);
    const before = text.slice(0, at + shift);
    return { line: before.split('\n').length, col: before.length - before.lastIndexOf('\n') };
  }

  async function openLabFile(): Promise<void> {
    await workbench.runCommand('Overlay Lab: Open Lab File');
    // One lab in the workspace: it opens at once; with more, the command asks which.
    await page.waitForTimeout(500);
    if ((await workbench.quickPickQuestion()) === 'Open which lab file?') await workbench.pickQuickItem('demo');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 20_000 });
    // A click in the text gives the editor the keyboard (Go to Line goes to the focused editor).
    await lines.click({ position: { x: 200, y: 10 } });
  }

  it('(l1) the lab file as a language: the suggest widget lists the lab\'s hosts after remote: (no YAML extension)', async function () {
    const text = readFileSync(session.labFile!, 'utf8');
    await openLabFile();
    const { line, col } = placeOf(text, 'remote: ovs-b', 'remote: '.length);
    await cursorTo(line, col);
    // Take the written host away, then ask for suggestions where it was.
    for (let i = 0; i < 'ovs-b'.length; i++) await page.keyboard.press('Delete');
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    const labels = await workbench.until('the suggest widget with host names', async () => {
      const found = (await rows.allInnerTexts()).map(oneLine);
      return found.some((row) => row.startsWith('ovs-b')) ? found : undefined;
    }, 20_000, async () => `suggest rows: ${(await rows.allInnerTexts()).map(oneLine).join(' | ') || 'none'}`);
    session.log(`suggestions after remote: on ovs-a: ${labels.join(' | ')}`);
    const names = labels.map((row) => row.split(/\s/)[0]);
    for (const host of ['ovs-b', 'test-a', 'test-b']) assert.ok(names.includes(host), `the suggestions name ${host}: ${labels.join(' | ')}`);
    assert.ok(!names.includes('ovs-a'), 'a host is no tunnel peer of its own');
    await session.screenshot('l1-suggest-hosts-after-remote');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
  });

  it('(l2) hovering over a host shows its live state, and CodeLens sits above each host', async function () {
    const text = readFileSync(session.labFile!, 'utf8');
    const { line, col } = placeOf(text, '  ovs-a:', 3);
    await cursorTo(line, col);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover-content .hover-contents').first();
    const shown = await workbench.until('the hover of ovs-a', async () => {
      const content = oneLine((await hover.innerText().catch(() => '')) ?? '');
      return /ovs-a/.test(content) && /Open vSwitch/.test(content) ? content : undefined;
    }, 20_000, async () => `hover: ${oneLine(await hover.innerText().catch(() => 'none'))}`);
    session.log(`hover on ovs-a: ${shown}`);
    assert.match(shown, /reached directly/);
    assert.match(shown, /\breachable\b/);
    assert.doesNotMatch(shown, /unreachable|not read yet/);
    assert.match(shown, /Open vSwitch: \d+\.\d+/);
    assert.match(shown, /OS: /);
    const decorations = page.locator('.monaco-editor .codelens-decoration');
    const lenses = await workbench.until('the CodeLens above the hosts', async () => {
      const found = oneLine((await decorations.allInnerTexts()).join(' | '));
      return /reachable/.test(found) ? found : undefined;
    }, 15_000, async () => `${await decorations.count()} CodeLens decoration(s)`);
    session.log(`CodeLens: ${lenses}`);
    assert.match(lenses, /reachable/);
    assert.match(lenses, /Apply .*Terminal .*Trace/);
    await session.screenshot('l2-hover-host-live-state');
    await page.keyboard.press('Escape');
  });

  it('(l3) Go to Symbol lists the hosts', async function () {
    await page.keyboard.press('Control+Shift+O');
    const symbols = await workbench.until('Go to Symbol with the hosts', async () => {
      const found = await workbench.quickPickRows();
      return found.some((row) => row.startsWith('ovs-b')) ? found : undefined;
    }, 20_000, async () => (await workbench.quickPickRows()).join(' | '));
    session.log(`Go to Symbol: ${symbols.join(' | ')}`);
    for (const host of ['ovs-a', 'ovs-b']) assert.ok(symbols.some((row) => row.startsWith(host)), `Go to Symbol lists ${host}: ${symbols.join(' | ')}`);
    assert.ok(symbols.some((row) => row.startsWith('vx0')), 'and the tunnel ports');
    await session.screenshot('l3-go-to-symbol-hosts');
    // The list shows what fits; a filter brings the test hosts up.
    await page.keyboard.type('test');
    const filtered = await workbench.until('Go to Symbol filtered to the test hosts', async () => {
      const found = await workbench.quickPickRows();
      return found.some((row) => row.startsWith('test-b')) ? found : undefined;
    }, 20_000, async () => (await workbench.quickPickRows()).join(' | '));
    session.log(`Go to Symbol, "test": ${filtered.join(' | ')}`);
    assert.ok(filtered.some((row) => row.startsWith('test-a')), `Go to Symbol lists test-a: ${filtered.join(' | ')}`);
    await workbench.closeQuickInput();
  });

  it('(l4) a quick fix adds a missing tunnel back', async function () {
    const original = readFileSync(session.labFile!, 'utf8');
    // The Labs view shows the validator's error on its row; earlier tests may have closed the side bar.
    await workbench.openOverlayLabView();
    try {
      // ovs-b loses its tunnel back to ovs-a: the validator marks ovs-a's vx0.
      const back = placeOf(original, '- { name: vx0, type: vxlan, remote: ovs-a }');
      await cursorTo(back.line, back.col);
      await page.keyboard.press('Control+Shift+K');
      // The validator's error on the lab's row first: the quick fix answers that diagnostic.
      const problem = workbench.labsRows().filter({ hasText: 'vx0 on ovs-a leads to ovs-b, but ovs-b has no tunnel back' }).first();
      await problem.waitFor({ state: 'visible', timeout: 20_000 });
      const view = page.locator('.monaco-editor .view-lines').first();
      assert.ok(!(await view.innerText()).includes('remote: ovs-a }'), 'ovs-b has no tunnel back before the fix');
      const remote = placeOf(original, 'remote: ovs-b', 'remote: '.length + 1);
      const fix = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Add the tunnel back on ovs-b' }).first();
      // Asked as a user asks: Ctrl+. at the name, again if the menu came before the model was read.
      await workbench.until(
        'the quick fix to add the tunnel back',
        async () => {
          await cursorTo(remote.line, remote.col);
          await page.keyboard.press('Control+.');
          return (await fix.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => undefined)) ?? (await page.keyboard.press('Escape'), undefined);
        },
        20_000,
        async () => `the menu lists: ${(await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map(oneLine).join(' | ') || 'nothing'}`,
      );
      await session.screenshot('l4-quick-fix-menu');
      await fix.click();
      // The tunnel comes back as it was written, and the validator's error goes.
      await workbench.until('the tunnel back in the editor', async () => (oneLine(await view.innerText()).includes('- { name: vx0, type: vxlan, remote: ovs-a }') ? true : undefined), 20_000);
      await problem.waitFor({ state: 'hidden', timeout: 20_000 });
      await page.keyboard.press('Control+S');
      await workbench.until('the fixed lab file saved', async () => (readFileSync(session.labFile!, 'utf8') === original ? true : undefined), 20_000);
      await session.screenshot('l4-quick-fix-applied');
    } finally {
      writeFileSync(session.labFile!, original);
    }
  });

  it('(g) a reply-leg loss (test-a drops the echo replies it receives) is drawn on the topology, and its report opens read-only', async function () {
    needsApplied(this);
    this.timeout(180_000);
    const started = Date.now();
    const lab = session.lab!;
    // The diagram and the report side by side, nothing else (as (f) leaves the window).
    await workbench.runCommand('View: Close Primary Side Bar').catch(() => workbench.closeQuickInput());
    // The request arrives and test-b answers; test-a's own firewall drops the answer as it comes in.
    const table = 'ole2e_replydrop';
    await lab.nsExec('test-a', ['nft', `table inet ${table} { chain input { type filter hook input priority 0; policy accept; icmp type echo-reply counter drop; }; }`], { check: true, timeoutMs: 10_000 });
    try {
      await lab.nsExec('test-a', ['ip', 'neigh', 'flush', 'dev', 'eth2'], { check: false });
      // What ping says at this moment, which the trace must agree with: no answer.
      const ping = await lab.nsExec('test-a', ['ping', '-n', '-c', '1', '-W', '2', '10.213.50.12'], { timeoutMs: 10_000 });
      session.log(`ping from test-a: ${oneLine(ping.stdout).replace(/.*(\d+ packets transmitted.*?loss).*/, '$1')}`);
      assert.notEqual(ping.code, 0, `with the rule in place, ping from test-a gets no answer: ${ping.stdout}`);

      const lost = await trace(/: lost on the reply leg /);
      session.log(`notification: ${lost.notification}`);
      session.log(`banner: ${lost.summary}`);
      session.log(`cause: ${lost.cause}`);
      session.log(`evidence: ${lost.evidence.join(' | ')}`);
      session.log(`legs: ${lost.legs}`);
      session.log(`node test-a:eth2: ${lost.sourceNode}`);
      assert.match(lost.summary, /test-a:eth2 → 10\.213\.50\.12: lost on the reply leg \(ICMP echo\) (at|between \S+ and) test-a:eth2: host-firewall, proved\./, `the banner reads: ${lost.summary}`);
      assert.match(lost.cause, /^Cause: host-firewall, proved: the host received the frame and its firewall dropped it\.$/);
      assert.ok(lost.evidence.some((line) => line.includes(table)), `the evidence names the rule's table ${table}: ${lost.evidence.join(' | ')}`);
      // Both legs followed: the request all the way to test-b, its answer all the way back to test-a's eth2.
      assert.match(lost.legs, /ICMP echo request: test-a:eth2 ✔ \d+ · .* · test-b:eth2 ✔ \d+/, `the request arrived: ${lost.legs}`);
      assert.match(lost.legs, /ICMP echo reply: test-b:eth2 ✔ \d+ · .*test-a:eth2 (✔ \d+|✘) \(lost here\)/, `the answer came back to the place of loss: ${lost.legs}`);
      assert.match(lost.sourceNode, /Trace: request ✔ · reply (✔|✘)(, ✘ lost here \(reply\))?\./, `the diagram marks test-a:eth2 for both legs: ${lost.sourceNode}`);

      // The report: one, read-only, holding both legs, the cause, the evidence and the hints.
      await oneReport();
      // The notification (read above) out of the way of the report's rows.
      await workbench.clearNotifications();
      await page.waitForTimeout(800);
      await session.screenshot('g-trace-reply-lost');
      const report = await workbench.editorText(REPORT_TAB);
      session.log(`report (${report.length} distinct lines): ${report.slice(0, 6).join(' / ')}`);
      const text = report.join('\n');
      for (const expected of ['# Trace: test-a:eth2 (10.213.50.11) → 10.213.50.12', '## Cause: host-firewall (proved)', '## Request leg: test-a:eth2 → 10.213.50.12', '### ICMP echo request', '## Reply leg: 10.213.50.12 → test-a:eth2', '### ICMP echo reply', '## What to do']) {
        assert.ok(report.includes(expected), `the report has the line "${expected}"; it reads:\n${text}`);
      }
      assert.match(text, /lost on the \*\*reply leg\*\* \(ICMP echo reply\)/);
      assert.match(text, /← lost here/);
      assert.ok(text.includes(table), `the report's evidence names ${table}`);
      // A close-up of the diagram: a larger window gives it room, and its words under the labels
      // (which leg saw each point, where it was lost) read at full size.
      await page.setViewportSize({ width: 2400, height: 1500 });
      try {
        await page.waitForTimeout(1000);
        await (await workbench.topologyWebview()).locator('#fit').dispatchEvent('click');
        await page.waitForTimeout(1000);
        await session.screenshot('g-trace-reply-lost-diagram', await workbench.topologyBox());
      } finally {
        await page.setViewportSize(VIEWPORT);
        await page.waitForTimeout(500);
      }

      // Read-only: typing changes nothing, and closing asks nothing.
      await workbench.editorTab(REPORT_TAB).click();
      await page.locator('.part.editor .editor-group-container').filter({ has: page.locator(tabSelector(REPORT_TAB)) }).locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.type('x');
      await page.waitForTimeout(500);
      assert.ok(!(await workbench.editorTabs()).some((tab) => tab.dirty), 'typing into the report changes nothing');
      await workbench.runCommand('View: Close Editor');
      await page.waitForTimeout(1000);
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'closing the report asks nothing');
      assert.ok(!(await workbench.editorTabs()).some((tab) => tab.label === REPORT_TAB), 'the report closed');
    } finally {
      await lab.nsExec('test-a', ['nft', 'delete', 'table', 'inet', table], { timeoutMs: 10_000 });
    }
    const left = await lab.nsExec('test-a', ['nft', 'list', 'tables'], { timeoutMs: 10_000 });
    assert.doesNotMatch(left.stdout, new RegExp(table), 'the rule that dropped the answers is gone');
    session.timings['test (g) reply-leg trace'] = Date.now() - started;
  });

  it('(h) the extension activated without error, its log holds none, and the browser stayed on 127.0.0.1', async function () {
    const files = session.collectLogs();
    const hostLog = files.find((file) => /exthost\d*[\\/]remoteexthost\.log$/.test(file));
    assert.ok(hostLog, `the extension host's log is among code-server's logs: ${files.join(', ')}`);
    assert.match(readFileSync(hostLog, 'utf8'), /_doActivateExtension overlay-lab\.overlay-lab\b/, 'the extension host activated overlay-lab.overlay-lab');
    const origins = new Map<string, number>();
    for (const url of session.requests) {
      const origin = /^[a-z-]+:\/\/[^/]*/i.exec(url)?.[0] ?? url.slice(0, 40);
      origins.set(origin, (origins.get(origin) ?? 0) + 1);
    }
    session.log(`the browser asked: ${[...origins].map(([origin, count]) => `${origin} (${count})`).join(', ')}`);
    session.log(`answered with errors: ${session.failedRequests.join(', ') || 'none'}`);
    // code-server's own origin, and webview resources (a service worker in the page serves those).
    const local = /^(blob:)?http:\/\/127\.0\.0\.1:\d+\/|^https:\/\/[a-z0-9+-]+\.vscode-resource\.vscode-cdn\.net\/|^(data|blob|vscode-webview):/;
    const away = [...session.requests].filter((url) => !local.test(url));
    assert.deepEqual(away, [], 'the browser asked nothing of any other host');
    const problems = extensionHostErrors(files);
    assert.deepEqual(problems, [], `errors of Overlay Lab in the extension host's log or its own:\n${problems.join('\n')}`);
  });
});

function slug(title: string): string {
  return title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase();
}
