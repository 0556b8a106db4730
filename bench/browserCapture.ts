// Issue 14's figures in the browser: the packaged extension in code-server, driven in Chromium
// (the end-to-end harness, its own namespace lab), under the flood the lab carries. First the
// machine's own floor: the longest gap between animation frames with the panel open and no
// capture running, under the same flood. Then one pane on ovs-b:eth2 (a 20,000-ping flood) and
// a merged pane over four interfaces (a 60 s flood): lines counted against
// `ssh host tcpdump -l -n -e -i IF icmp | wc -l` run at the same time on the same interfaces;
// lines rendered, trimmed and skipped; the gaps between animation frames in the webview and the
// long tasks of the page; Pause and Stop latency from a real click (measured in the page, click
// to the status or state that says it); lines held across a Pause against lines replayed by
// Resume. Over the 60 s flood, Chromium's and the extension host's RSS every 5 s (start, end,
// max, slope), and what of it is kept: the extension host's V8 heap after a full GC (its
// inspector) and the page's JS heap after one (CDP). BENCH_PROFILE=1 adds CPU profiles of the
// page and of the extension host, written to bench/results/browser-profile.txt.
// Figures are reported, never asserted.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { shellCommand } from '../src/util/shell';
import { waitFor, type TestLab } from '../test/lab';
import { configureDemoLab } from '../test/lab/configureDemo';
import { E2eSession } from '../test/e2e/support/session';
import { Workbench } from '../test/e2e/support/workbench';
import { CHROMIUM_RSS, CpuProfile, profileExtensionHost, EXTENSION_HOST_RSS, ExtensionHostHeap, frameGaps, inPage, rssMb, sampleRss, slopePerMinute, startFrameGaps, type FrameGaps, type HeapReading } from './browserProbes';
import { type Figure, nowMs, round } from './measure';

const TEST_B = '10.213.50.12';
const PINGS = 20_000;
const HELD_PINGS = 5_000;
const DRAIN_MS = 1500;
const MERGED = ['test-a:eth2', 'ovs-a:eth2', 'ovs-b:eth2', 'test-b:eth2'];

/** The long flood, for memory over time: this long, whatever it counts. */
const LONG_FLOOD_S = 60;
const RSS_EVERY_MS = 5000;

/** `ping -f` from test-a to test-b, bounded in count and time (a deadline of `seconds`); its wall time in ms. */
async function flood(lab: TestLab, count: number, seconds = 20): Promise<number> {
  lab.assertNamespaces();
  const start = nowMs();
  const result = await lab.nsExec('test-a', ['ping', '-n', '-q', '-f', '-c', String(count), '-w', String(seconds), TEST_B], { timeoutMs: (seconds + 10) * 1000, check: false });
  // At its deadline ping exits 1 when fewer than `count` came back; what matters is that replies came.
  const received = Number(/(\d+) received/.exec(result.stdout)?.[1] ?? 0);
  if (result.code !== 0 && !(result.code === 1 && received > 0)) throw new Error(`the flood failed: ${result.stdout}${result.stderr}`);
  return nowMs() - start;
}

function gapFigures(label: string, what: string, gaps: FrameGaps): Figure[] {
  return [
    { name: `${label}: longest gap between animation frames in the webview ${what} (${gaps.frames} frames; ${gaps.over50} gaps over 50 ms, ${gaps.over100} over 100 ms; long tasks: ${gaps.longTasks}, longest ${gaps.longestTask} ms, ${gaps.longTaskMs} ms in all)`, value: gaps.max, unit: 'ms', goal: 'at most 100 ms' },
  ];
}

const profiles: string[] = [];

async function profiled<T>(page: Page, label: string, work: () => Promise<T>): Promise<T> {
  if (!CpuProfile.wanted()) return work();
  const profile = new CpuProfile();
  await profile.start(page);
  try {
    return await work();
  } finally {
    profiles.push(await profile.stop(label));
  }
}

/** The renderer's JS heap in use after a full GC (the workbench and its same-origin webviews), MB. */
async function pageHeapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.collectGarbage');
    const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    return round(usage.usedSize / 1024 / 1024);
  } finally {
    await session.detach();
  }
}

function heapText(reading: HeapReading | undefined, heap: ExtensionHostHeap): string {
  return reading ? `RSS ${reading.rssBeforeGc} MB with a V8 heap of ${reading.heapTotalBeforeGc} MB; after the GC: heap used ${reading.heapUsed} MB of ${reading.heapTotal}, external ${reading.external} MB, array buffers ${reading.arrayBuffers} MB, RSS ${reading.rss} MB` : `unknown (${heap.problem})`;
}

/** `ssh host tcpdump … | wc -l` on each target at once; `stop()` ends them and gives the counts. */
async function baselines(lab: TestLab, targets: string[]): Promise<{ stop(): Promise<number[]> }> {
  const runs = targets.map((target) => {
    const [host, iface] = target.split(':');
    const wc = spawn('wc', ['-l'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let counted = '';
    wc.stdout.on('data', (chunk) => (counted += chunk));
    const wcDone = new Promise((resolve) => wc.on('close', resolve));
    const ssh = spawn('ssh', [...lab.sshArgs(host), shellCommand(['tcpdump', '-l', '-n', '-e', '-i', iface, 'icmp'])], { stdio: ['ignore', wc.stdin, 'pipe'] });
    wc.stdin.destroy();
    let stderr = '';
    ssh.stderr.on('data', (chunk) => (stderr += chunk));
    const sshDone = new Promise((resolve) => ssh.on('close', resolve));
    return { host, ssh, listening: () => /listening on/.test(stderr), done: async () => (await sshDone, await wcDone, Number(counted.trim())) };
  });
  await waitFor('tcpdump over OpenSSH to listen', 10_000, async () => (runs.every((run) => run.listening()) ? true : undefined));
  return {
    async stop() {
      for (const run of runs) run.ssh.kill('SIGTERM');
      const counts = await Promise.all(runs.map((run) => run.done()));
      for (const run of runs) {
        for (const leftover of await lab.processes(run.host, /^tcpdump -l -n -e -i /)) {
          try {
            process.kill(leftover.pid, 'SIGTERM');
          } catch {
            // gone already
          }
        }
      }
      return counts;
    },
  };
}

/** Clicks the button for real and measures, in the page, how long until `done` (an expression of `pane`) holds. */
async function clickLatency(pane: Locator, action: string, done: string): Promise<number> {
  await pane.evaluate(inPage(`
    const pane = node;
    window.__latency = undefined;
    const button = pane.querySelector('[data-action="${action}"]');
    button.addEventListener('click', () => {
      const clicked = performance.now();
      const observer = new MutationObserver(() => {
        if (!(${done})) return;
        window.__latency = performance.now() - clicked;
        observer.disconnect();
      });
      observer.observe(pane, { attributes: true, childList: true, subtree: true, characterData: true });
    }, { capture: true, once: true });
  `));
  await pane.locator(`[data-action="${action}"]`).click();
  const page = pane.page();
  const started = Date.now();
  for (;;) {
    const value = (await pane.evaluate(inPage('return window.__latency;'))) as number | undefined;
    if (value !== undefined && value !== null) return round(value);
    if (Date.now() - started > 20_000) throw new Error(`no ${action} within 20 s`);
    await page.waitForTimeout(20);
  }
}

const number = async (pane: Locator, name: string) => Number((await pane.getAttribute(`data-${name}`)) ?? 'NaN');

async function settled(pane: Locator, page: Page): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = (await number(pane, 'packets')) + (await number(pane, 'shown'));
    if (now === last) return;
    last = now;
    await page.waitForTimeout(400);
  }
}

interface FloodPlan {
  pings: number;
  seconds: number;
  /** Sample RSS (and the extension host's heap) over the flood. */
  memory?: boolean;
}

async function measurePane(label: string, lab: TestLab, page: Page, view: FrameLocator, pane: Locator, targets: string[], plan: FloodPlan, figures: Figure[]): Promise<void> {
  await settled(pane, page);
  const packets0 = await number(pane, 'packets');
  const shown0 = await number(pane, 'shown');
  const base = await baselines(lab, targets);
  const heap = new ExtensionHostHeap();
  const heapBefore = plan.memory ? await heap.read() : undefined;
  const pageHeapBefore = plan.memory ? await pageHeapMb(page) : undefined;
  await startFrameGaps(view);
  const rss = plan.memory ? sampleRss(RSS_EVERY_MS) : undefined;
  const hostProfile = CpuProfile.wanted() && plan.memory ? profileExtensionHost(Math.min(20, plan.seconds)) : undefined;
  const floodMs = await profiled(page, label, async () => {
    const ms = await flood(lab, plan.pings, plan.seconds);
    await page.waitForTimeout(DRAIN_MS);
    return ms;
  });
  const gaps = await frameGaps(view);
  if (hostProfile) profiles.push(`${label}, the first 20 s: ${await hostProfile}`);
  const series = rss?.stop();
  const counts = await base.stop();
  await settled(pane, page);
  const counted = (await number(pane, 'packets')) - packets0;
  const shown = (await number(pane, 'shown')) - shown0;
  const baseline = counts.reduce((a, b) => a + b, 0);
  const trimmed = await number(pane, 'trimmed');
  const skipped = await number(pane, 'skipped');
  const floodWords = plan.memory ? `a ${round(floodMs / 1000)} s flood` : `a ${plan.pings}-ping flood (${round(floodMs / 1000)} s)`;
  figures.push({ name: `${label}: lines counted in the pane over ${floodWords}, against ssh tcpdump | wc -l at the same time`, value: counted, unit: 'lines', baseline: { name: `ssh host tcpdump -l -n -e -i IF icmp | wc -l on ${targets.join(', ')}`, value: baseline }, ratio: round(counted / baseline), goal: 'ratio at least 0.95' });
  figures.push({ name: `${label}: lines rendered in the terminal, of those counted (lines that came while more than the scrollback waited to be drawn, and so would have scrolled out of it at once, are trimmed unwritten, said in the pane: ${trimmed}; skipped by the extension's rate limit: ${skipped})`, value: shown, unit: 'lines', ratio: round(shown / Math.max(1, counted)), goal: 'every counted line rendered, or trimmed as old scrollback and said so' });
  figures.push(...gapFigures(label, 'during the flood', gaps));
  if (series) {
    const chromium = series.samples.map((sample) => ({ t: sample.t, value: sample.chromium }));
    const host = series.samples.map((sample) => ({ t: sample.t, value: sample.extensionHost }));
    const heapAfter = await heap.read();
    const pageHeap = await pageHeapMb(page);
    const describe = (points: { t: number; value: number }[]) => `start ${points[0].value}, end ${points[points.length - 1].value}, max ${Math.max(...points.map((p) => p.value))} MB over ${points[points.length - 1].t} s, ${points.length} samples`;
    figures.push({ name: `${label}: Chromium RSS (all its processes) over the flood: ${describe(chromium)}; slope`, value: slopePerMinute(chromium), unit: 'MB/min', goal: 'memory flat over 60 s' });
    figures.push({ name: `${label}: the page's JS heap (workbench and webviews) after a full GC, before the flood ${pageHeapBefore}, after it`, value: pageHeap, unit: 'MB' });
    figures.push({ name: `${label}: extension host RSS over the flood: ${describe(host)}; slope`, value: slopePerMinute(host), unit: 'MB/min', goal: 'memory flat over 60 s' });
    figures.push({ name: `${label}: extension host after a full GC, before the flood: ${heapText(heapBefore, heap)}; after it: ${heapText(heapAfter, heap)}; heap used grew by`, value: heapBefore && heapAfter ? round(heapAfter.heapUsed - heapBefore.heapUsed) : Number.NaN, unit: 'MB' });
  }

  // Pause, a smaller flood, Resume: every held line replayed.
  const pauseMs = await clickLatency(pane, 'pause', `/paused/.test(pane.querySelector('.pane-status').textContent)`);
  const shownAtPause = await number(pane, 'shown');
  await flood(lab, HELD_PINGS);
  await page.waitForTimeout(DRAIN_MS);
  await settled(pane, page);
  const held = await number(pane, 'held');
  const notHeld = await number(pane, 'not-held');
  await pane.locator('[data-action="pause"]').click();
  await waitFor('the held lines replayed', 60_000, async () => ((await number(pane, 'held')) === 0 ? true : undefined), 100);
  const replayed = (await number(pane, 'shown')) - shownAtPause;
  figures.push({ name: `${label}: Pause latency from a real click to the status saying paused`, value: pauseMs, unit: 'ms' });
  figures.push({ name: `${label}: lines held over a Pause with a ${HELD_PINGS}-ping flood (not held: ${notHeld}), against lines Resume replayed`, value: replayed, unit: 'lines', baseline: { name: 'lines held', value: held }, ratio: round(replayed / Math.max(1, held)), goal: 'every held line replayed up to the hold limit (20,000)' });

  const stopMs = await clickLatency(pane, 'start', `pane.dataset.state === 'ended'`);
  figures.push({ name: `${label}: Stop latency from a real click to the pane ended (tcpdump gone on the host)`, value: stopMs, unit: 'ms' });
  figures.push({ name: `${label}: Chromium RSS (all its processes) after the runs`, value: rssMb(CHROMIUM_RSS), unit: 'MB' });
  figures.push({ name: `${label}: extension host RSS after the runs`, value: rssMb(EXTENSION_HOST_RSS), unit: 'MB' });
}

export async function browserCaptureBench(): Promise<Figure[]> {
  const reason = await E2eSession.cannotRun();
  if (reason) throw new Error(`the browser bench cannot run: ${reason}`);
  const session = new E2eSession();
  const figures: Figure[] = [];
  try {
    const page = await session.up();
    const lab = session.lab!;
    await lab.trustHostKeys();
    await configureDemoLab(lab);
    const workbench = new Workbench(page);
    await workbench.openOverlayLabView();
    await workbench.runCommand('Overlay Lab: Show Topology');
    const view = workbench.webview();
    const button = view.locator('#node-list button', { hasText: 'Capture on ovs-b:eth2' }).first();
    await button.waitFor({ state: 'attached', timeout: 60_000 });
    // The machine's own floor: the same flood with the panel open and no capture running.
    await startFrameGaps(view);
    await profiled(page, 'no capture', async () => {
      await flood(lab, PINGS);
      await page.waitForTimeout(DRAIN_MS);
    });
    figures.push(...gapFigures('no capture running (the panel open)', 'during the same flood', await frameGaps(view)));
    await button.dispatchEvent('click');
    const pane = view.locator('.pane').first();
    await workbench.until('the pane to listen', async () => ((await pane.getAttribute('data-state')) === 'listening' ? true : undefined), 30_000);
    await pane.locator('.pane-filter input').fill('icmp');
    await pane.locator('.pane-filter').press('Enter');
    await page.waitForTimeout(1500);
    figures.push({ name: 'before the runs: Chromium RSS (all its processes)', value: rssMb(CHROMIUM_RSS), unit: 'MB' });
    figures.push({ name: 'before the runs: extension host RSS', value: rssMb(EXTENSION_HOST_RSS), unit: 'MB' });
    await measurePane('one pane on ovs-b:eth2', lab, page, view, pane, ['ovs-b:eth2'], { pings: PINGS, seconds: 20 }, figures);

    await workbench.runCommand('Overlay Lab: Capture on Several Interfaces (One Timeline)');
    await workbench.until('a quick pick', async () => ((await workbench.quickPickQuestion()) ? true : undefined), 10_000);
    if (/which lab/i.test((await workbench.quickPickQuestion()) ?? '')) await page.locator('.quick-input-list .monaco-list-row').first().click();
    await workbench.until('the interfaces to pick from', async () => (/Tick two or more interfaces/.test((await workbench.quickPickQuestion()) ?? '') ? true : undefined), 10_000);
    for (const label of MERGED) {
      await page.locator('.quick-input-widget input.input').fill(label);
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      const box = row.locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first();
      if ((await box.count()) > 0) await box.click();
      else await row.click();
    }
    await page.locator('.quick-input-widget input.input').fill('');
    await page.keyboard.press('Enter');
    const merged = view.locator('.pane').last();
    await workbench.until('the merged pane to listen', async () => ((await merged.getAttribute('data-state')) === 'listening' ? true : undefined), 30_000);
    await merged.locator('.pane-filter input').fill('icmp');
    await merged.locator('.pane-filter').press('Enter');
    await workbench.until('the merged pane to listen with the filter', async () => ((await merged.getAttribute('data-state')) === 'listening' ? true : undefined), 30_000);
    await page.waitForTimeout(1500);
    await measurePane('merged pane over 4 interfaces', lab, page, view, merged, MERGED, { pings: 1_000_000, seconds: LONG_FLOOD_S, memory: true }, figures);
    await session.screenshot('bench-merged-pane');
  } catch (error) {
    await session.screenshot('bench-failed').catch(() => undefined);
    throw error;
  } finally {
    await session.down();
    if (profiles.length) {
      const folder = join(__dirname, 'results');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'browser-profile.txt'), `${profiles.join('\n\n')}\n`);
      process.stdout.write(`CPU profiles written to ${join(folder, 'browser-profile.txt')}\n`);
    }
  }
  return figures;
}
