// Running programs for the lab: argument lists only, bounded in time, and failures that
// say which step failed and what the program printed.

import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the program's standard input, which is then closed. */
  input?: string;
  /** Kill the program after this long. Default 30 s: nothing in the lab should take that long. */
  timeoutMs?: number;
  /** Throw when the exit code is not 0 (default true). */
  check?: boolean;
  /** Names the step in error messages, e.g. "create namespaces". */
  what?: string;
  env?: NodeJS.ProcessEnv;
}

// sshd, ip and ethtool live in /usr/sbin, which a non-login PATH may lack.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];
export function labEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '/usr/bin:/bin').split(':');
  for (const d of SBIN) if (!path.includes(d)) path.push(d);
  return { ...process.env, PATH: path.join(':'), LC_ALL: 'C', ...extra };
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly argv: readonly string[],
    readonly result: RunResult,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

function describe(argv: readonly string[]): string {
  // Long fixed scripts make unreadable messages; their first line is enough.
  return argv.map((a) => (a.includes('\n') ? `'${a.trim().split('\n')[0]} …'` : a)).join(' ');
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: opts.env ?? labEnv(), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string }) | null;
        if (e && typeof e.code === 'string') {
          // The program could not be started at all (ENOENT and the like).
          reject(new Error(`${opts.what ? opts.what + ': ' : ''}cannot run ${file}: ${e.message}`));
          return;
        }
        const result: RunResult = {
          code: e ? (typeof e.code === 'number' ? e.code : e.killed || e.signal ? 128 + 9 : 1) : 0,
          stdout,
          stderr,
        };
        if (e?.killed && e.signal) {
          result.stderr += `\n(killed by ${e.signal} after ${timeoutMs} ms)`;
        }
        if (result.code !== 0 && opts.check !== false) {
          const detail = (result.stderr.trim() || result.stdout.trim() || '(no output)').slice(-4000);
          reject(
            new CommandError(
              `${opts.what ? opts.what + ': ' : ''}\`${describe(argv)}\` exited with ${result.code}: ${detail}`,
              argv,
              result,
            ),
          );
          return;
        }
        resolve(result);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `probe` until it returns a value, at most `timeoutMs`; then throw `what` with the last reason. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** Like Promise.all over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}
