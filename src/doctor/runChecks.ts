// All the checks, in the order a reader wants their findings: can the hosts be read, do the
// daemons run, do the tunnels agree, does the underlay carry them, then the rest.

import { checkBridgedAddresses } from './checks/bridgedAddresses';
import { checkDatapath } from './checks/datapath';
import { checkDuplicates } from './checks/duplicates';
import { checkHostsReachable } from './checks/hostReachable';
import { checkInterfaceErrors } from './checks/interfaceErrors';
import { checkOpenflowDrops } from './checks/openflowDrops';
import { checkOvsDaemons } from './checks/ovsDaemons';
import { checkPathMtu } from './checks/pathMtu';
import { checkTunnelSymmetry } from './checks/tunnelSymmetry';
import { checkUdpPorts } from './checks/udpPort';
import { checkUnderlayReach } from './checks/underlayReach';
import { checkVswitchdLog } from './checks/vswitchdLog';
import type { Check, DoctorInput } from './input';
import type { Finding, FindingSeverity } from './types';

export const CHECKS: readonly Check[] = [
  checkHostsReachable,
  checkOvsDaemons,
  checkDatapath,
  checkTunnelSymmetry,
  checkUdpPorts,
  checkUnderlayReach,
  checkPathMtu,
  checkOpenflowDrops,
  checkDuplicates,
  checkBridgedAddresses,
  checkInterfaceErrors,
  checkVswitchdLog,
];

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding, by host in the lab's order, then errors first; a check that throws becomes a finding rather than hiding the others. */
export function runChecks(input: DoctorInput): Finding[] {
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    try {
      findings.push(...check(input));
    } catch (error) {
      const host = input.lab.hosts[0]?.name ?? '';
      findings.push({
        id: 'doctor-check-failed',
        check: 'doctor',
        severity: 'warning',
        host,
        hosts: [host],
        message: `A doctor check failed: ${(error as Error).message}. Its findings are missing from this report.`,
        fix: 'report this as a bug of Overlay Lab, with the output of overlay-lab state --json',
      });
    }
  }
  const hostOrder = new Map(input.lab.hosts.map((h, i) => [h.name, i]));
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => (hostOrder.get(a.finding.host) ?? 0) - (hostOrder.get(b.finding.host) ?? 0) || SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
