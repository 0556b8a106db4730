// Runs bin/overlay-lab as a user does (integration tests and benches): the built bundle, in the project root, no ssh-agent.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'overlay-lab');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Builds dist/ once per suite, so the tests run what users run. */
export function buildCli(): void {
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT });
}

export function startCli(args: string[]): ChildProcess {
  return spawn(BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' } });
}

export function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = startCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
