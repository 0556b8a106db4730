// Runs one of the lab's scripts (`scripts.<name>.run`, the user's own shell text, run as written
// with `sh -e`) on its hosts in parallel, streaming each host's output line by line. A host that
// fails, is unreachable or times out never stops the others. Cancelling ends the remote
// processes (supervised commands, or the pty's hang-up).

import type { Lab, LabScript } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import { SshError } from '../ssh/errors';
import { LineSplitter } from '../util/lineSplitter';

export type ScriptHostStatus = 'ok' | 'failed' | 'unreachable' | 'timeout' | 'cancelled';

export interface ScriptHostResult {
  host: string;
  status: ScriptHostStatus;
  code: number | null;
  signal?: string;
  /** Why it failed, in a sentence naming the host. */
  message?: string;
  elapsedMs: number;
}

export interface ScriptRunResult {
  script: string;
  hosts: ScriptHostResult[];
}

export interface ScriptRunOptions {
  /** Only these of the script's hosts. */
  hosts?: string[];
  signal?: AbortSignal;
  /** Run with a pseudo-terminal (colours, stderr merged into stdout), as the editor's terminal does. */
  pty?: boolean;
  onLine?: (host: string, stream: 'stdout' | 'stderr', line: string) => void;
  onHostStart?: (host: string) => void;
  onHostDone?: (result: ScriptHostResult) => void;
}

export function findScript(lab: Lab, name: string): LabScript | undefined {
  return lab.scripts.find((script) => script.name === name);
}

/** The hosts a run targets: the script's own, narrowed to `only` when given. */
export function scriptTargets(script: LabScript, only?: string[]): string[] {
  return only ? script.hosts.filter((host) => only.includes(host)) : [...script.hosts];
}

export function worstStatus(results: ScriptHostResult[]): ScriptHostStatus {
  const order: ScriptHostStatus[] = ['ok', 'cancelled', 'failed', 'timeout', 'unreachable'];
  return results.reduce<ScriptHostStatus>((worst, result) => (order.indexOf(result.status) > order.indexOf(worst) ? result.status : worst), 'ok');
}

async function runOnHost(pool: SshPool, lab: Lab, script: LabScript, host: string, options: ScriptRunOptions): Promise<ScriptHostResult> {
  const started = Date.now();
  const labHost = lab.hosts.find((candidate) => candidate.name === host);
  const stdout = new LineSplitter((line) => options.onLine?.(host, 'stdout', line));
  const stderr = new LineSplitter((line) => options.onLine?.(host, 'stderr', line));
  options.onHostStart?.(host);
  try {
    const result = await pool.exec(host, { script: script.run }, {
      sudo: script.sudo ?? labHost?.sudo ?? false,
      signal: options.signal,
      timeoutSeconds: script.timeoutSeconds,
      pty: options.pty,
      collect: false,
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
    });
    stdout.end();
    stderr.end();
    const elapsedMs = Date.now() - started;
    if (result.cancelled === 'timeout') {
      return { host, status: 'timeout', code: result.code, message: `${host}: script ${script.name} was stopped after its timeout of ${script.timeoutSeconds} s.`, elapsedMs };
    }
    if (result.cancelled) return { host, status: 'cancelled', code: result.code, message: `${host}: cancelled; the script was stopped on the host.`, elapsedMs };
    if (result.code === 0) return { host, status: 'ok', code: 0, elapsedMs };
    const how = result.code === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with status ${result.code}`;
    return { host, status: 'failed', code: result.code, signal: result.signal, message: `${host}: script ${script.name} ${how}.`, elapsedMs };
  } catch (error) {
    stdout.end();
    stderr.end();
    const message = error instanceof SshError ? error.message : `${host}: ${(error as Error).message}`;
    return { host, status: 'unreachable', code: null, message, elapsedMs: Date.now() - started };
  }
}

export async function runLabScript(pool: SshPool, lab: Lab, name: string, options: ScriptRunOptions = {}): Promise<ScriptRunResult> {
  const script = findScript(lab, name);
  if (!script) throw new Error(`the lab has no script "${name}"; its scripts are: ${lab.scripts.map((s) => s.name).join(', ') || 'none'}`);
  const hosts = await Promise.all(
    scriptTargets(script, options.hosts).map(async (host) => {
      const result = await runOnHost(pool, lab, script, host, options);
      options.onHostDone?.(result);
      return result;
    }),
  );
  return { script: name, hosts };
}
