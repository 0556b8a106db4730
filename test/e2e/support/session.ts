// Everything an e2e run stands on, brought up once and torn down always: the demo test lab in
// network namespaces, a workspace folder with the demo lab file pointed at it, the extension
// packaged (`npm run package`), code-server with it installed, and headless Chromium on the
// workbench. Setup says how long each part took; teardown survives any part having failed.

import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureCodeServer, packageExtension, startCodeServer, type CodeServer } from '../../../scripts/codeServer';
import { canBuildTestLab, demoLabSpec, TestLab, type TestLabOptions, type TestLabSpec } from '../../lab';
import { writeDemoLabFile } from '../../lab/labFiles';

export const REPO = resolve(__dirname, '..', '..', '..');
export const CHROMIUM = process.env.OVERLAY_LAB_CHROMIUM || '/usr/bin/chromium';
/** Chromium's flags: nothing it would fetch on its own (these machines reach no outside host). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // No name resolves but code-server's: whatever the workbench might fetch from elsewhere fails at once.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];
export const RESULTS = join(REPO, 'test-results', 'e2e');
export const LAB_SPEC = demoLabSpec({ prefix: 'ole2e', mgmtSubnet: '10.213.181.1/24' });
export const VIEWPORT = { width: 1600, height: 1000 };

/** Settings the tests want on top of code-server's quiet ones. */
const E2E_SETTINGS = {
  // The DOM renderer: a terminal's text is then in the page, where a test can read it.
  'terminal.integrated.gpuAcceleration': 'off',
  // "Tasks: Run Task" lists every task at once instead of one entry per task type.
  'task.quickOpen.showAll': true,
  'task.quickOpen.detail': true,
  'task.quickOpen.history': 0,
  'workbench.editor.enablePreview': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  // A failed test's message opens in a peek at its line, with its actions (the lab tests' suite).
  'testing.automaticallyOpenPeekView': 'failureAnywhere',
};

/** A suite's own lab instead of the demo one (the scale suite's 64 light hosts, say). */
export interface E2eLab {
  spec: TestLabSpec;
  options?: TestLabOptions;
  /** Writes the lab file into the workspace folder; returns its path. */
  writeLabFile: (lab: TestLab, workspace: string) => string;
  /** The browser window's size (a tall one shows every row of a big lab at once). */
  viewport?: { width: number; height: number };
  /** User settings on top of the suites' own. */
  settings?: Record<string, unknown>;
}

/** The demo lab, as the main suites use it. */
const DEMO_E2E_LAB: E2eLab = {
  spec: LAB_SPEC,
  writeLabFile: (lab, workspace) => {
    const file = join(workspace, 'demo.lab.yaml');
    copyFileSync(writeDemoLabFile(lab, 'demo'), file);
    return file;
  },
};

export interface Timings {
  [phase: string]: number;
}

export class E2eSession {
  lab?: TestLab;
  server?: CodeServer;
  browser?: Browser;
  page?: Page;
  workspace?: string;
  labFile?: string;
  vsix?: string;
  readonly timings: Timings = {};
  private scratch?: string;
  private removeSignalHandlers?: () => void;
  /** Console errors of the workbench page, for the failure report. */
  readonly consoleErrors: string[] = [];
  /** URLs (without query) the browser asked for. */
  readonly requests = new Set<string>();
  readonly failedRequests: string[] = [];

  /** Where screenshots and logs go; a suite of its own keeps its own folder (each run empties it). */
  constructor(
    readonly results: string = RESULTS,
    readonly labSetup: E2eLab = DEMO_E2E_LAB,
  ) {}

  log(line: string): void {
    process.stdout.write(`      ${line}\n`);
  }

  async timed<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.timings[phase] = Date.now() - started;
      this.log(`${phase}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }

  /** Why the suite cannot run here (it then skips), or undefined. */
  static async cannotRun(spec: TestLabSpec = LAB_SPEC): Promise<string | undefined> {
    const can = await canBuildTestLab(spec);
    if (!can.ok) return can.reason;
    if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set OVERLAY_LAB_CHROMIUM)`;
    return undefined;
  }

  async up(): Promise<Page> {
    mkdirSync(this.results, { recursive: true });
    for (const name of readdirSync(this.results)) rmSync(join(this.results, name), { recursive: true, force: true });
    this.log(`screenshots and logs: ${relative(process.cwd(), this.results) || this.results}/`);
    this.scratch = mkdtempSync(join(tmpdir(), 'ole2e-'));
    this.installSignalHandlers();

    // The three slow parts at once: the lab, the package, code-server's install (when missing).
    // All three settle before a failure is reported, so that a lab that did come up is torn down.
    const [labResult, vsixResult, installResult] = await Promise.allSettled([
      this.timed('test lab up', () => TestLab.up(this.labSetup.spec, this.labSetup.options)),
      this.timed('package', () => packageExtension(join(this.scratch!, 'overlay-lab.vsix'))),
      this.timed('code-server ready', () => ensureCodeServer((line) => this.log(line))),
    ]);
    if (labResult.status === 'fulfilled') this.lab = labResult.value;
    const failed = [labResult, vsixResult, installResult].find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const lab = this.lab!;
    const vsix = (vsixResult as PromiseFulfilledResult<string>).value;
    const install = (installResult as PromiseFulfilledResult<ReturnType<typeof ensureCodeServer>>).value;
    this.vsix = vsix;
    this.log(`vsix: ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);

    // A workspace folder of its own, holding the lab file aimed at this lab.
    this.workspace = join(this.scratch, 'demo-lab');
    mkdirSync(this.workspace);
    this.labFile = this.labSetup.writeLabFile(lab, this.workspace);

    this.server = await this.timed('code-server start (with --install-extension)', () =>
      startCodeServer({ install, workspace: this.workspace!, vsix, dataDir: join(this.scratch!, 'code-server'), settings: { ...E2E_SETTINGS, ...this.labSetup.settings }, log: (line) => this.log(line) }),
    );
    this.log(`code-server: ${this.server.folderUrl}`);

    this.browser = await this.timed('chromium launch', () =>
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }),
    );
    const context = await this.browser.newContext({ viewport: this.labSetup.viewport ?? VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    // Every request of the page and its frames, to check that none leaves this machine.
    context.on('request', (request) => this.requests.add(request.url().replace(/[?#].*$/, '')));
    context.on('response', (response) => {
      if (response.status() >= 400) this.failedRequests.push(`${response.status()} ${response.url()}`);
    });
    this.page = page;
    await this.timed('workbench shown', async () => {
      // Chromium fails loads in flight with ERR_NETWORK_CHANGED when links come and go on the
      // machine (another lab being built): one more try then.
      for (let attempt = 1; ; attempt++) {
        try {
          await page.goto(this.server!.folderUrl, { timeout: 60_000 });
          await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
          return;
        } catch (error) {
          if (attempt >= 2) throw new Error(`the workbench (.monaco-workbench) did not appear within 60 s of opening ${this.server!.folderUrl}: ${(error as Error).message}`);
          this.log(`the workbench did not load (${(error as Error).message.split('\n')[0]}); once more`);
        }
      }
    });
    return page;
  }

  /** The whole window, or the part `clip` gives (a close-up, for the diagram's small marks). */
  async screenshot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string | undefined> {
    if (!this.page || this.page.isClosed()) return undefined;
    const file = join(this.results, `${name}.png`);
    try {
      await this.page.screenshot({ path: file, timeout: 15_000, ...(clip ? { clip } : {}) });
      return file;
    } catch (error) {
      this.log(`(screenshot ${name} failed: ${(error as Error).message})`);
      return undefined;
    }
  }

  /** The extension host's logs and our output channel's, copied beside the screenshots. */
  collectLogs(): string[] {
    const logs = this.server && join(this.server.userDataDir, 'logs');
    if (!logs || !existsSync(logs)) return [];
    const target = join(this.results, 'logs');
    try {
      cpSync(logs, target, { recursive: true });
      if (this.server) writeFileSync(join(this.results, 'code-server.out.log'), this.server.output());
    } catch {
      // best effort
    }
    return listFiles(logs);
  }

  async down(): Promise<void> {
    if (!this.scratch) return; // never came up (skipped)
    const errors: string[] = [];
    const step = async (what: string, work: () => Promise<unknown> | unknown) => {
      try {
        await work();
      } catch (error) {
        errors.push(`${what}: ${(error as Error).message}`);
      }
    };
    const started = Date.now();
    await step('collect logs', () => this.collectLogs());
    await step('close chromium', () => withTimeout(this.browser?.close(), 15_000, 'chromium did not close'));
    await step('stop code-server', () => this.server?.stop());
    await step('tear the lab down', () => this.lab?.down());
    await step('remove scratch', () => this.scratch && rmSync(this.scratch, { recursive: true, force: true }));
    this.removeSignalHandlers?.();
    this.log(`teardown: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (errors.length) throw new Error(`teardown: ${errors.join('; ')}`);
  }

  /**
   * Ctrl-C or a kill during the run: code-server (a process group of its own) is stopped at once;
   * the lab's own hooks tear the lab down; then the signal does what it would have done.
   */
  private installSignalHandlers(): void {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const handler = (signal: NodeJS.Signals) => {
      this.server?.killNow();
      if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
      remove();
      // After the other handlers (the lab's teardown) have had their turn.
      setImmediate(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    const remove = () => {
      for (const signal of signals) process.off(signal, handler);
    };
    for (const signal of signals) process.on(signal, handler);
    this.removeSignalHandlers = remove;
  }
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * Activation failures and other errors of our extension in the extension host's log, and the
 * errors in the extension's own log (the Overlay Lab output channel, where the webview's errors
 * land too): none is expected on the tests' path.
 */
export function extensionHostErrors(files: string[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter((name) => name.endsWith('.log'))) {
    const hostLog = /exthost\.log$/i.test(file);
    const ownLog = /overlay-lab\.overlay-lab[\\/]/.test(file);
    if (!hostLog && !ownLog) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const error = /\[error\]/.test(line);
        const bad = ownLog ? error : /overlay-lab/i.test(line) && (error || /activat\w* .*fail|failed to activate|cannot find module/i.test(line));
        if (bad) problems.push(`${file}:${index + 1}: ${line.trim()}`);
      });
  }
  return problems;
}

async function withTimeout<T>(promise: Promise<T> | undefined, ms: number, message: string): Promise<T | undefined> {
  if (!promise) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
