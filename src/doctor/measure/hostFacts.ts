// Reads a host's facts (hostFactsScript.ts) and parses them. The parser is pure and tolerant:
// a section that failed leaves its field unknown, and says why where that matters.

import { splitProbeOutput, succeeded, failureText } from '../../hosts/probeSections';
import type { ProbeTransport } from '../../hosts/probe';
import type { LabHost } from '../../lab/types';
import type { HostFacts, OvsModuleState } from '../types';
import { HOST_FACTS_SCRIPT } from './hostFactsScript';
import { parseVswitchdLog } from './vswitchdLog';

const MODULE_STATES: OvsModuleState[] = ['loaded', 'builtin', 'loadable', 'absent'];

export function parseHostFacts(host: string, stdout: string): HostFacts {
  const { sections } = splitProbeOutput(stdout);
  const facts: HostFacts = { host };
  const now = sections.get('now');
  if (succeeded(now) && /^\d{4}-\d\d-\d\dT/.test(now.stdout.trim())) facts.now = now.stdout.trim();
  const module = sections.get('ovs_module');
  const moduleText = module?.stdout.trim() as OvsModuleState | undefined;
  if (succeeded(module) && moduleText && MODULE_STATES.includes(moduleText)) facts.ovsModule = moduleText;
  const types = sections.get('datapath_types');
  const list = succeeded(types) ? /^\[(.*)\]$/.exec(types.stdout.trim()) : undefined;
  if (list) facts.datapathTypes = list[1].split(',').map((t) => t.trim().replace(/^"|"$/g, '')).filter(Boolean);
  const log = sections.get('vswitchd_log');
  if (succeeded(log)) {
    const lines = log.stdout.split('\n');
    const file = lines.shift() ?? '';
    const counts = lines.map((l) => /^lines (\d+) (\d+)$/.exec(l)).find(Boolean);
    facts.log = parseVswitchdLog(lines.join('\n'), file, counts ? Number(counts[1]) : 0);
  } else if (log) {
    facts.logProblem = failureText(log);
  }
  return facts;
}

export interface HostFactsOptions {
  signal?: AbortSignal;
  timeoutSeconds?: number;
}

/** Never throws: a host that cannot be read gets facts that say why. */
export async function readHostFacts(pool: ProbeTransport, host: Pick<LabHost, 'name' | 'sudo'>, options: HostFactsOptions = {}): Promise<HostFacts> {
  try {
    const result = await pool.exec(host.name, ['sh', '-c', HOST_FACTS_SCRIPT], { sudo: host.sudo, signal: options.signal, timeoutSeconds: options.timeoutSeconds ?? 10 });
    if (result.cancelled) return { host: host.name, problem: result.cancelled === 'timeout' ? 'reading its facts timed out' : 'cancelled' };
    return parseHostFacts(host.name, result.stdout);
  } catch (error) {
    return { host: host.name, problem: (error as Error).message };
  }
}
