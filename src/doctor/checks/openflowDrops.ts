// Check: OpenFlow rules that drop on a bridge of the lab. A bridge the lab declares forwards
// with the NORMAL action; a rule added by hand (or by a controller) that drops some traffic is
// invisible in `ovs-vsctl show` and silent in the log. The rules are read with the trace's own
// reader (src/trace/measure/openflowRules.ts); n_packets says whether the rule already bit.

import { dropRules, flowText } from '../../trace/measure/openflowRules';
import { readHosts, type Check } from '../input';
import type { Finding } from '../types';

export const checkOpenflowDrops: Check = (input) => {
  const findings: Finding[] = [];
  for (const { host } of readHosts(input)) {
    const counters = input.measurements?.counters?.[host.name];
    if (!counters) continue;
    for (const bridge of host.bridges.filter((b) => b.kind === 'ovs')) {
      for (const rule of dropRules(counters.flows[bridge.name] ?? [])) {
        findings.push({
          id: 'openflow-drop-rule',
          check: 'openflow-drops',
          severity: rule.packets > 0 ? 'error' : 'warning',
          host: host.name,
          hosts: [host.name],
          subject: { kind: 'bridge', name: bridge.name },
          message: `${bridge.name} on ${host.name} has an OpenFlow rule that drops what it matches: ${flowText(rule)} (n_packets ${rule.packets}${rule.packets > 0 ? ': it has dropped frames' : ''}).`,
          fix: `remove it if it is not meant to be there: ovs-ofctl --strict del-flows ${bridge.name} '${rule.match}' on ${host.name}`,
          range: bridge.range,
          values: { table: rule.table, match: rule.match, packets: rule.packets },
        });
      }
    }
  }
  return findings;
};
