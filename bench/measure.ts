// Small measuring tools for the benchmarks: repeated timings, medians, and the OpenSSH baseline.

import { spawn } from 'node:child_process';

export interface Figure {
  /** What was measured, in words. */
  name: string;
  value: number;
  unit: string;
  /** The same thing done the baseline's way, and how many times faster we are (baseline / value). */
  baseline?: { name: string; value: number };
  ratio?: number;
  /** The goal, in words, when it names one. */
  goal?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Times `runs` sequential runs of `work`, in milliseconds. */
export async function timeRuns(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = nowMs();
    await work();
    times.push(nowMs() - start);
  }
  return times;
}

/** Runs a program to completion (with `env` added to ours); rejects on a non-zero exit. */
export function runProgram(argv: string[], env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : undefined });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}: ${err}`))));
  });
}

export function compared(name: string, value: number, unit: string, baselineName: string, baselineValue: number, goal?: string): Figure {
  return { name, value: round(value), unit, baseline: { name: baselineName, value: round(baselineValue) }, ratio: round(baselineValue / value), goal };
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
