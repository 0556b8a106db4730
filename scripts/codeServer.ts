// A real VS Code for the e2e tests and the demo: code-server (VS Code in a browser), kept in a
// cache folder outside the repo, started on 127.0.0.1 with the packaged extension installed.
// code-server, because it comes from the npm registry with a whole VS Code inside, where
// @vscode/test-electron and @vscode/test-web download VS Code from hosts these machines cannot reach.
//
// The cache is `$OVERLAY_LAB_CACHE` or `~/.cache/overlay-lab`:
//   node24/       npm package node@24 (code-server 4.139 wants Node 24; the machine may have 20)
//   code-server/  npm package code-server@4.139.1 (about 600 MB, about 3 minutes to install)
//
// Usage: node --import tsx scripts/codeServer.ts [install|where]

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** The code-server the project pins: it carries VS Code 1.139.1 (engines.vscode must not ask for more). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = 24;
/** Debian packages code-server's native modules build against (g++, make and python3 too). */
export const BUILD_PACKAGES = ['libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev', 'pkg-config'];

export function cacheRoot(): string {
  return resolve(process.env.OVERLAY_LAB_CACHE || join(homedir(), '.cache', 'overlay-lab'));
}

export interface CodeServerInstall {
  /** The folder that holds Node 24's `node` and `npm`: first on PATH when running code-server. */
  nodeBin: string;
  /** node_modules/.bin/code-server */
  bin: string;
  version: string;
}

function nodeBinOf(root: string): string {
  return join(root, 'node24', 'node_modules', 'node', 'bin');
}

function codeServerDirOf(root: string): string {
  return join(root, 'code-server');
}

function envWithNode(nodeBin: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PATH: [nodeBin, base.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(delimiter) };
}

function readVersion(packageJson: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** What is wrong with the cache's code-server, or undefined when it is ready to run. */
export function installProblem(root = cacheRoot()): string | undefined {
  const nodeBin = nodeBinOf(root);
  if (!existsSync(join(nodeBin, 'node'))) return `no Node ${NODE_MAJOR} in ${join(root, 'node24')}`;
  const node = spawnSync(join(nodeBin, 'node'), ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (!node.stdout?.startsWith(`v${NODE_MAJOR}.`)) return `${join(nodeBin, 'node')} is not Node ${NODE_MAJOR} (${node.stdout?.trim() || node.error?.message || `exit ${node.status}`})`;
  const dir = codeServerDirOf(root);
  const version = readVersion(join(dir, 'node_modules', 'code-server', 'package.json'));
  if (!version) return `no code-server in ${dir}`;
  if (version !== CODE_SERVER_VERSION) return `${dir} holds code-server ${version}, not ${CODE_SERVER_VERSION}`;
  if (!existsSync(join(dir, 'node_modules', '.bin', 'code-server'))) return `${dir} has no node_modules/.bin/code-server`;
  // Its postinstall builds VS Code's native modules; without them the server does not start.
  const spdlog = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node');
  if (!existsSync(spdlog)) return `code-server's native modules were not built (no ${spdlog}): its postinstall did not run or failed`;
  return undefined;
}

/** The cache's code-server, when it is there and complete. */
export function locateCodeServer(root = cacheRoot()): CodeServerInstall | undefined {
  if (installProblem(root)) return undefined;
  return { nodeBin: nodeBinOf(root), bin: join(codeServerDirOf(root), 'node_modules', '.bin', 'code-server'), version: CODE_SERVER_VERSION };
}

/** Debian build packages that are not installed (empty when dpkg is not there to ask). */
export function missingBuildPackages(): string[] {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\\n', ...BUILD_PACKAGES], { encoding: 'utf8' });
  if (query.error) return [];
  const installed = new Set(
    query.stdout
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0].replace(/:.*$/, '')),
  );
  const missing = BUILD_PACKAGES.filter((name) => !installed.has(name));
  for (const tool of ['g++', 'make', 'python3']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) missing.push(tool);
  return missing;
}

function npmInstall(cwd: string, spec: string, nodeBin: string | undefined, log: (line: string) => void): void {
  mkdirSync(cwd, { recursive: true });
  // A package.json of its own, so npm installs here and not into a project above.
  if (!existsSync(join(cwd, 'package.json'))) writeFileSync(join(cwd, 'package.json'), `${JSON.stringify({ name: `overlay-lab-cache-${spec.replace(/[^a-z0-9]+/gi, '-')}`, private: true }, null, 2)}\n`);
  log(`npm install ${spec} in ${cwd}${nodeBin ? ` (Node ${NODE_MAJOR} first on PATH)` : ''}…`);
  // The machine's npm; with Node 24 first on PATH, it and the install scripts it runs run under Node 24.
  const result = spawnSync('npm', ['install', '--foreground-scripts', '--no-audit', '--no-fund', '--save-exact', spec], {
    cwd,
    env: nodeBin ? envWithNode(nodeBin) : process.env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`npm install ${spec} in ${cwd} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/**
 * The cache's code-server, installed first when missing: node@24 from npm, then
 * code-server@4.139.1 with its postinstall (native modules) run under Node 24.
 */
export function ensureCodeServer(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`), root = cacheRoot()): CodeServerInstall {
  const found = locateCodeServer(root);
  if (found) return found;
  log(`code-server ${CODE_SERVER_VERSION} is not ready in ${root} (${installProblem(root)}): installing it there (about 600 MB, a few minutes).`);
  const missing = missingBuildPackages();
  if (missing.length) {
    throw new Error(`code-server's install builds native modules and needs: ${missing.join(' ')} (apt-get install ${missing.join(' ')})`);
  }
  const nodeBin = nodeBinOf(root);
  if (!existsSync(join(nodeBin, 'node'))) npmInstall(join(root, 'node24'), `node@${NODE_MAJOR}`, undefined, log);
  npmInstall(codeServerDirOf(root), `code-server@${CODE_SERVER_VERSION}`, nodeBin, log);
  const problem = installProblem(root);
  if (problem) throw new Error(`code-server was installed in ${root} but is not usable: ${problem}`);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${codeServerDirOf(root)}.`);
  return locateCodeServer(root)!;
}

const REPO = resolve(__dirname, '..');

/** `npm run package` (scripts/package.mjs) with the package written to `out`; resolves to `out`. */
export function packageExtension(out: string): Promise<string> {
  return new Promise((resolvePackage, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--quiet', '--out', out], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && existsSync(out) ? resolvePackage(out) : reject(new Error(`npm run package failed (exit ${code}):\n${output.trim()}`))));
  });
}

/** Settings for a clean, quiet window: no welcome page or walkthrough, trusted, no telemetry, nothing fetched. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'npm.fetchOnlinePackageInfo': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export interface StartOptions {
  install: CodeServerInstall;
  /** The folder to open. */
  workspace: string;
  /** A packaged extension to install before starting. */
  vsix?: string;
  /** Default 0: a free port, whichever the system hands out. */
  port?: number;
  /** Where user data, extensions and logs go. Default: a new folder under the system's tmp, removed by stop(). */
  dataDir?: string;
  /** Merged over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Milliseconds to wait for the server to answer. Default 60 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The URL that opens the workspace folder. */
  folderUrl: string;
  port: number;
  dataDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own output (stdout and stderr). */
  output(): string;
  /** Stops the server and every process it started; resolves once they are gone. Safe to call twice. */
  stop(): Promise<void>;
  /** Kills the server's process group at once (for a signal handler, where nothing can be awaited). */
  killNow(): void;
}

function runCodeServer(install: CodeServerInstall, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(install.bin, args, { env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`code-server ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr || result.stdout).trim()}`);
}

/** A child's environment: Node 24 first, no SSH agent or secrets of ours, no extension gallery. */
function serverEnv(install: CodeServerInstall, configFile: string): NodeJS.ProcessEnv {
  const env = envWithNode(install.nodeBin);
  for (const name of ['SSH_AUTH_SOCK', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'VSCODE_IPC_HOOK_CLI', 'NODE_OPTIONS']) delete env[name];
  env.CODE_SERVER_CONFIG = configFile;
  // No extension gallery (code-server's default is open-vsx.org): the workbench then never asks
  // one for updates or recommendations, from the server or from the browser.
  env.EXTENSIONS_GALLERY = '{}';
  return env;
}

/**
 * Installs `vsix` (when given) and starts code-server on 127.0.0.1 with `workspace` open, in a
 * data folder of its own (settings, extensions, logs); resolves once it serves.
 */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const log = options.log ?? (() => undefined);
  // A data folder of our making goes with the server; one the caller gave stays (logs to read).
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'overlay-lab-code-server-'));
  const userDataDir = join(dataDir, 'user-data');
  const extensionsDir = join(dataDir, 'extensions');
  const configFile = join(dataDir, 'config.yaml');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // Our own config file: code-server otherwise writes ~/.config/code-server/config.yaml with a password.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2)}\n`);
  const env = serverEnv(options.install, configFile);

  if (options.vsix) {
    const started = Date.now();
    try {
      runCodeServer(options.install, ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--force', '--install-extension', options.vsix], env);
    } catch (error) {
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    log(`installed ${options.vsix} into ${extensionsDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-proxy',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    options.workspace,
  ];
  // A process group of its own: stop() ends the server and everything it started, and only that.
  const child = spawn(options.install.bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? (signal ? -1 : null))));
  let stopped = false;
  // Whatever way this process ends normally, the server does not outlive it.
  const killNow = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', killNow);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await stopGroup(child, exited);
    } finally {
      process.off('exit', killNow);
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  };

  try {
    const port = await waitForPort(() => output, exited, options.timeoutMs ?? 60_000);
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(`${url}healthz`, exited, options.timeoutMs ?? 60_000, () => output);
    return {
      url,
      folderUrl: `${url}?folder=${encodeURIComponent(resolve(options.workspace)).replace(/%2F/g, '/')}`,
      port,
      dataDir,
      userDataDir,
      extensionsDir,
      output: () => output,
      stop,
      killNow,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    killGroup(child.pid, 'SIGKILL');
    return;
  }
  killGroup(child.pid, 'SIGTERM');
  const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
  // What is left of the group (the extension host, the pty host) goes too.
  killGroup(child.pid, gone ? 'SIGTERM' : 'SIGKILL');
  if (!gone) await Promise.race([exited, delay(2000)]);
  await delay(200);
  killGroup(child.pid, 'SIGKILL');
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

async function waitForPort(output: () => string, exited: Promise<number | null>, timeoutMs: number): Promise<number> {
  let exit: number | null | undefined;
  void exited.then((code) => (exit = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output());
    if (match) return Number(match[1]);
    if (exit !== undefined) throw new Error(`code-server exited (${exit}) before listening:\n${output().trim()}`);
    await delay(100);
  }
  throw new Error(`code-server did not say it listens within ${timeoutMs / 1000} s:\n${output().trim()}`);
}

async function waitForHttp(url: string, exited: Promise<number | null>, timeoutMs: number, output: () => string): Promise<void> {
  let exit: number | null | undefined;
  void exited.then((code) => (exit = code));
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`code-server exited (${exit}):\n${output().trim()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s (${last})`);
}

if (require.main === module) {
  const command = process.argv[2] ?? 'where';
  try {
    if (command === 'install') {
      const install = ensureCodeServer();
      process.stdout.write(`${install.bin} (code-server ${install.version}; Node ${NODE_MAJOR} in ${install.nodeBin})\n`);
    } else if (command === 'where') {
      const problem = installProblem();
      if (problem) {
        process.stdout.write(`code-server ${CODE_SERVER_VERSION} is not ready: ${problem}\nRun: node --import tsx scripts/codeServer.ts install\n`);
        process.exitCode = 1;
      } else process.stdout.write(`${locateCodeServer()!.bin}\n`);
    } else {
      process.stderr.write('usage: node --import tsx scripts/codeServer.ts [install|where]\n');
      process.exitCode = 2;
    }
  } catch (error) {
    process.stderr.write(`codeServer: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
