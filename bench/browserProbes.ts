// What the browser bench measures besides the pane's own counts: the gaps between animation
// frames in a webview and the long tasks behind them, a CPU profile of the page's main thread
// (which the webview shares with the workbench in code-server), the RSS of Chromium and of the
// extension host sampled over time, and the extension host's V8 heap after a full GC (through
// its inspector, opened with SIGUSR1 as `node --inspect` would), so that RSS that is garbage not
// yet collected is told apart from memory that is kept.

import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession, FrameLocator, Page } from 'playwright-core';
import { round, runProgram } from './measure';

// The functions run in the page are made from text: the TypeScript loader wraps named
// functions in a helper (`__name`) that the page does not have.
export function inPage(body: string): (node: Element) => unknown {
  return new Function('node', body) as (node: Element) => unknown;
}

export interface FrameGaps {
  /** The longest gap between two animation frames, ms. */
  max: number;
  /** Gaps over 50 ms and over 100 ms. */
  over50: number;
  over100: number;
  frames: number;
  /** Long tasks (over 50 ms) the page reported in that time: how many, the longest, their sum. */
  longTasks: number;
  longestTask: number;
  longTaskMs: number;
}

/** Starts (or restarts) measuring the gaps between animation frames in the webview, and its long tasks. */
export async function startFrameGaps(view: FrameLocator): Promise<void> {
  await view.locator('body').evaluate(
    inPage(`
    const reset = (gaps) => { Object.assign(gaps, { max: 0, over50: 0, over100: 0, frames: 0, longTasks: 0, longestTask: 0, longTaskMs: 0, last: performance.now() }); };
    if (window.__gaps) { reset(window.__gaps); return; }
    const gaps = {};
    reset(gaps);
    window.__gaps = gaps;
    const loop = (time) => {
      const gap = time - gaps.last;
      gaps.max = Math.max(gaps.max, gap);
      if (gap > 50) gaps.over50++;
      if (gap > 100) gaps.over100++;
      gaps.frames++;
      gaps.last = time;
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          gaps.longTasks++;
          gaps.longestTask = Math.max(gaps.longestTask, entry.duration);
          gaps.longTaskMs += entry.duration;
        }
      }).observe({ type: 'longtask', buffered: false });
    } catch {}
  `),
  );
}

export async function frameGaps(view: FrameLocator): Promise<FrameGaps> {
  const gaps = (await view.locator('body').evaluate(inPage('const g = window.__gaps; return { max: g.max, over50: g.over50, over100: g.over100, frames: g.frames, longTasks: g.longTasks, longestTask: g.longestTask, longTaskMs: g.longTaskMs };'))) as FrameGaps;
  return { ...gaps, max: round(gaps.max), longestTask: round(gaps.longestTask), longTaskMs: round(gaps.longTaskMs) };
}

/** A sampling CPU profile of the page's renderer (workbench and its same-origin webviews), when BENCH_PROFILE is set. */
export class CpuProfile {
  private session: CDPSession | undefined;

  static wanted(): boolean {
    return Boolean(process.env.BENCH_PROFILE);
  }

  async start(page: Page): Promise<void> {
    this.session = await page.context().newCDPSession(page);
    await this.session.send('Profiler.enable');
    await this.session.send('Profiler.setSamplingInterval', { interval: 500 });
    await this.session.send('Profiler.start');
  }

  /** The functions that took the most time of their own, as text (and the share that was idle). */
  async stop(label: string): Promise<string> {
    if (!this.session) return '';
    const { profile } = (await this.session.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]; samples?: number[]; timeDeltas?: number[] } };
    await this.session.detach();
    this.session = undefined;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<string, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    let total = 0;
    for (let i = 0; i < samples.length; i++) {
      const node = byId.get(samples[i]);
      const ms = (deltas[i + 1] ?? 0) / 1000;
      total += ms;
      if (!node) continue;
      const frame = node.callFrame;
      const url = frame.url.replace(/^.*\//, '').replace(/\?.*$/, '');
      const key = `${frame.functionName || '(anonymous)'} ${url}:${frame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + ms);
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
    return [`CPU profile, ${label}: ${round(total)} ms sampled`, ...top.map(([key, ms]) => `  ${round(ms).toString().padStart(8)} ms  ${round((100 * ms) / Math.max(1, total))}%  ${key}`)].join('\n');
  }
}

/** RSS in MB of every process whose command line matches. */
export function rssMb(pattern: RegExp): number {
  let kb = 0;
  for (const pid of pidsOf(pattern)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return round(kb / 1024);
}

export function pidsOf(pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' '))) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export const CHROMIUM_RSS = /(^|\/)chromium(\s|$)|chrome --type|\/chromium\/chrom/;
export const EXTENSION_HOST_RSS = /--type=extensionHost|extensionHostProcess/;

export interface RssSeries {
  /** Seconds since the first sample, and the MB then. */
  samples: { t: number; chromium: number; extensionHost: number }[];
}

/** Samples both RSS figures every `everyMs` until stopped. */
export function sampleRss(everyMs: number): { stop(): RssSeries } {
  const start = Date.now();
  const samples: RssSeries['samples'] = [];
  const take = () => samples.push({ t: round((Date.now() - start) / 1000), chromium: rssMb(CHROMIUM_RSS), extensionHost: rssMb(EXTENSION_HOST_RSS) });
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { samples };
    },
  };
}

/** Least-squares slope of `value` over `t`, per minute. */
export function slopePerMinute(points: { t: number; value: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.value - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : round((num / den) * 60);
}

/** The extension host's memory as Node sees it, after a full GC: what is kept, apart from garbage. */
export interface HeapReading {
  /** RSS and the V8 heap's size just before the GC: what of RSS was garbage not yet collected. */
  rssBeforeGc: number;
  heapTotalBeforeGc: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Opens the extension host's inspector (SIGUSR1, as Node documents), asks it for a full GC and
 * `process.memoryUsage()`, in MB. A child Node does the talking (this Node has WebSocket only
 * behind a flag). Undefined, with why, when it cannot.
 */
export class ExtensionHostHeap {
  problem: string | undefined;

  async read(): Promise<HeapReading | undefined> {
    const pids = pidsOf(EXTENSION_HOST_RSS);
    if (pids.length !== 1) {
      this.problem = `${pids.length} extension hosts`;
      return undefined;
    }
    try {
      const out = await runProgram([process.execPath, '--experimental-websocket', '--no-warnings', '-e', INSPECTOR_SCRIPT, String(pids[0]), 'heap']);
      const usage = JSON.parse(out) as Record<keyof HeapReading, number>;
      const mb = (bytes: number) => round(bytes / 1024 / 1024);
      return { rssBeforeGc: mb(usage.rssBeforeGc), heapTotalBeforeGc: mb(usage.heapTotalBeforeGc), rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), heapTotal: mb(usage.heapTotal), external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers) };
    } catch (error) {
      this.problem = (error as Error).message.slice(0, 300);
      return undefined;
    }
  }
}

/** A CPU profile of the extension host over `seconds` (through its inspector, as above), its top functions as text. */
export async function profileExtensionHost(seconds: number): Promise<string> {
  const pids = pidsOf(EXTENSION_HOST_RSS);
  if (pids.length !== 1) return `extension host CPU profile: ${pids.length} extension hosts`;
  try {
    return await runProgram([process.execPath, '--experimental-websocket', '--no-warnings', '-e', INSPECTOR_SCRIPT, String(pids[0]), 'profile', String(seconds)]);
  } catch (error) {
    return `extension host CPU profile: ${(error as Error).message.slice(0, 300)}`;
  }
}

const INSPECTOR_SCRIPT = `
const pid = Number(process.argv[1]);
const mode = process.argv[2];
process.kill(pid, 'SIGUSR1');
(async () => {
  let url;
  for (let i = 0; i < 50 && !url; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try { url = (await (await fetch('http://127.0.0.1:9229/json/list')).json())[0]?.webSocketDebuggerUrl; } catch {}
  }
  if (!url) throw new Error('the extension host inspector did not open on 127.0.0.1:9229');
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = () => reject(new Error('inspector socket failed')); });
  let next = 0;
  const waiting = new Map();
  socket.onmessage = (event) => { const m = JSON.parse(String(event.data)); if (m.id !== undefined) waiting.get(m.id)?.(m.result); };
  const call = (method, params = {}) => new Promise((resolve) => { const id = ++next; waiting.set(id, resolve); socket.send(JSON.stringify({ id, method, params })); });
  const evaluate = async (expression) => (await call('Runtime.evaluate', { expression, returnByValue: true })).result.value;
  const seen = await evaluate('process.pid');
  if (seen !== pid) throw new Error('the inspector on 9229 is pid ' + seen + ', not the extension host ' + pid);
  if (mode === 'profile') {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 500 });
    await call('Profiler.start');
    await new Promise((r) => setTimeout(r, Number(process.argv[3]) * 1000));
    const { profile } = await call('Profiler.stop');
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      total += ms;
      const f = byId.get(id).callFrame;
      const key = (f.functionName || '(anonymous)') + ' ' + f.url.replace(/^.*\\//, '') + ':' + (f.lineNumber + 1);
      self.set(key, (self.get(key) ?? 0) + ms);
    });
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
    process.stdout.write('extension host CPU profile: ' + Math.round(total) + ' ms sampled\\n' + top.map(([k, ms]) => '  ' + String(Math.round(ms)).padStart(8) + ' ms  ' + (100 * ms / total).toFixed(1) + '%  ' + k).join('\\n'));
  } else {
    const before = JSON.parse(await evaluate('JSON.stringify(process.memoryUsage())'));
    await call('HeapProfiler.enable');
    await call('HeapProfiler.collectGarbage');
    const after = JSON.parse(await evaluate('JSON.stringify(process.memoryUsage())'));
    process.stdout.write(JSON.stringify({ ...after, rssBeforeGc: before.rss, heapTotalBeforeGc: before.heapTotal }));
  }
  socket.close();
  setTimeout(() => process.exit(0), 50);
})().catch((error) => { process.stderr.write(String(error.message)); process.exit(1); });
`;
