// Reads one host: the probe script in one round trip over the host's pooled connection, parsed
// into a HostState. Never throws: an unreachable host, a probe that runs too long or a shell
// that refuses it (sudo wanting a password) become a HostReadFailure that says why.

import { performance } from 'node:perf_hooks';
import type { LabHost } from '../lab/types';
import { SshError } from '../ssh/errors';
import type { SshPool } from '../ssh/pool';
import { firstMeaningfulLine, sudoRefusal } from '../ssh/sudo';
import { parseHostState } from './parseHostState';
import { PROBE_MARKER, PROBE_SCRIPT } from './probeScript';
import type { HostReadFailure, HostReadFailureKind, HostReading } from './types';

/** What the probe needs of the pool; tests pass a stand-in. */
export type ProbeTransport = Pick<SshPool, 'exec'>;

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Seconds the probe may run once connected, default 10 (its slowest part, ovs-vsctl, gives up after 3). */
  timeoutSeconds?: number;
}

export const DEFAULT_PROBE_TIMEOUT_SECONDS = 10;

/** The probe's raw result, for recording fixtures. */
export interface RawProbe {
  stdout: string;
  stderr: string;
  code: number | null;
  elapsedMs: number;
  readAt: string;
}

/** Runs the probe on a host; throws SshError when the host cannot be reached. */
export async function runProbe(pool: ProbeTransport, host: Pick<LabHost, 'name' | 'sudo'>, options: ProbeOptions = {}): Promise<RawProbe & { cancelled?: 'aborted' | 'timeout' }> {
  const readAt = new Date().toISOString();
  const started = performance.now();
  const result = await pool.exec(host.name, ['sh', '-c', PROBE_SCRIPT], {
    sudo: host.sudo,
    signal: options.signal,
    timeoutSeconds: options.timeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS,
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.code, cancelled: result.cancelled, elapsedMs: performance.now() - started, readAt };
}

/** Reads a host; given its declared bridges, Open vSwitch is noted only where the lab needs it. */
export async function probeHost(pool: ProbeTransport, host: Pick<LabHost, 'name' | 'sudo'> & Partial<Pick<LabHost, 'bridges'>>, options: ProbeOptions = {}): Promise<HostReading> {
  const readAt = new Date().toISOString();
  const fail = (kind: HostReadFailureKind, message: string): HostReading => ({ ok: false, failure: { host: host.name, readAt, kind, message } });
  if (options.signal?.aborted) return fail('cancelled', cancelledMessage(host.name));
  let raw: Awaited<ReturnType<typeof runProbe>>;
  try {
    raw = await runProbe(pool, host, options);
  } catch (error) {
    if (error instanceof SshError) return fail(error.kind, error.message);
    return fail('probe-failed', `${host.name}: reading its state failed: ${(error as Error).message}`);
  }
  if (raw.cancelled === 'aborted') return fail('cancelled', cancelledMessage(host.name));
  if (raw.cancelled === 'timeout') {
    const seconds = options.timeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS;
    return fail('probe-timeout', `${host.name}: the state probe did not finish within ${seconds} s; the host is overloaded, or a command hangs there`);
  }
  // The script always prints its format line first (after whatever a chatty shell start-up file
  // prints); without it, the shell (or sudo) refused to run it.
  if (!raw.stdout.includes(`${PROBE_MARKER} format`)) return { ok: false, failure: refusal(host, raw, readAt) };
  const needsOvs = host.bridges && host.bridges.some((bridge) => bridge.kind === 'ovs');
  return { ok: true, state: parseHostState({ host: host.name, stdout: raw.stdout, readAt: raw.readAt, elapsedMs: raw.elapsedMs, needsOvs }) };
}

function cancelledMessage(host: string): string {
  return `${host}: reading its state was cancelled`;
}

/** The first line of what the probe said that is not sudo's harmless warning. */
export const refusalLine = firstMeaningfulLine;

function refusal(host: Pick<LabHost, 'name' | 'sudo'>, raw: RawProbe, readAt: string): HostReadFailure {
  const said = refusalLine(raw.stderr);
  const sudo = host.sudo ? sudoRefusal(host.name, raw.stderr) : undefined;
  const detail = said || (raw.code === null ? 'it ended without an exit status' : `exit status ${raw.code}, no output`);
  const message = sudo ?? `${host.name}: reached, but the state probe did not run: ${detail}`;
  return { host: host.name, readAt, kind: 'probe-failed', message };
}
