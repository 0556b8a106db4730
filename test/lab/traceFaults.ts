// The faults of trace v2's cause table that the demo lab can produce, each injected for real
// and undone, for the benchmark (bench/trace.ts): one request-leg case per kind, traced from
// test-a to test-b. The integration test (test/integration/trace.test.ts) injects the same
// faults and more variants (both directions, reply legs) in its own steps.

import { run, type TestLab } from './index';

export interface TraceFault {
  kind: string;
  /** ping -s for the probe (the MTU fault needs a large one). */
  size?: number;
  inject(lab: TestLab): Promise<void>;
  restore(lab: TestLab): Promise<void>;
}

const sh = (lab: TestLab, host: string, argv: string[]) => lab.nsExec(host, argv, { check: true, timeoutMs: 20_000 }).then(() => undefined);
const quiet = (lab: TestLab, host: string, argv: string[]) => lab.nsExec(host, argv, { timeoutMs: 20_000 }).then(() => undefined);
const segment = (lab: TestLab, name: string, rule: string) => run(['ip', 'netns', 'exec', lab.segmentNamespace(name), 'nft', rule]).then(() => undefined);
const dropTable = (lab: TestLab, name: string, table: string) => run(['ip', 'netns', 'exec', lab.segmentNamespace(name), 'nft', `delete table bridge ${table}`], { check: false }).then(() => undefined);
const bridgeRule = (table: string, rule: string) => `table bridge ${table} { chain forward { type filter hook forward priority 0; policy accept; ${rule}; }; }`;

export const TRACE_FAULTS: TraceFault[] = [
  {
    kind: 'mac-filter',
    inject: async (lab) => segment(lab, 'cn-b', bridgeRule('olt_mac', `iifname "p0" ether saddr != ${(await lab.nsExec('ovs-b', ['cat', '/sys/class/net/eth2/address'])).stdout.trim()} drop`)),
    restore: (lab) => dropTable(lab, 'cn-b', 'olt_mac'),
  },
  { kind: 'segment-filter', inject: (lab) => segment(lab, 'cn-b', bridgeRule('olt_seg', 'iifname "p0" ip protocol icmp drop')), restore: (lab) => dropTable(lab, 'cn-b', 'olt_seg') },
  { kind: 'link-down', inject: (lab) => sh(lab, 'ovs-b', ['ip', 'link', 'set', 'dev', 'eth2', 'down']), restore: (lab) => sh(lab, 'ovs-b', ['ip', 'link', 'set', 'dev', 'eth2', 'up']) },
  { kind: 'missing-port', inject: (lab) => sh(lab, 'ovs-b', ['ovs-vsctl', 'del-port', 'br0', 'eth2']), restore: (lab) => sh(lab, 'ovs-b', ['ovs-vsctl', '--may-exist', 'add-port', 'br0', 'eth2']) },
  { kind: 'mtu', size: 1400, inject: (lab) => sh(lab, 'ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1400']), restore: (lab) => sh(lab, 'ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500']) },
  { kind: 'vni-mismatch', inject: (lab) => sh(lab, 'ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:key=99']), restore: (lab) => sh(lab, 'ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'key']) },
  { kind: 'remote-ip-mismatch', inject: (lab) => sh(lab, 'ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.9']), restore: (lab) => sh(lab, 'ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.2']) },
  { kind: 'dstport-mismatch', inject: (lab) => sh(lab, 'ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:dst_port=4790']), restore: (lab) => sh(lab, 'ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'dst_port']) },
  { kind: 'underlay-filtered', inject: (lab) => segment(lab, 'wan', bridgeRule('olt_wan', 'ip saddr 10.213.100.1 udp dport 4789 drop')), restore: (lab) => dropTable(lab, 'wan', 'olt_wan') },
  { kind: 'underlay-unreachable', inject: (lab) => segment(lab, 'wan', bridgeRule('olt_wan', 'ip saddr 10.213.100.1 drop')), restore: (lab) => dropTable(lab, 'wan', 'olt_wan') },
  { kind: 'openflow-drop', inject: (lab) => sh(lab, 'ovs-b', ['ovs-ofctl', 'add-flow', 'br0', 'priority=100,icmp,nw_dst=10.213.50.12,icmp_type=8,actions=drop']), restore: (lab) => sh(lab, 'ovs-b', ['ovs-ofctl', 'del-flows', 'br0', 'icmp,nw_dst=10.213.50.12']) },
  {
    kind: 'vswitchd-down',
    inject: async (lab) => {
      await sh(lab, 'ovs-b', ['ovs-appctl', '-t', 'ovs-vswitchd', 'exit']);
      for (let i = 0; i < 100 && (await lab.processes('ovs-b', /^ovs-vswitchd/)).length; i++) await new Promise((r) => setTimeout(r, 50));
    },
    restore: (lab) => sh(lab, 'ovs-b', ['ovs-vswitchd', '--pidfile', '--detach', '--disable-system', '--log-file', '-vconsole:err']),
  },
  {
    kind: 'address-absent',
    inject: async (lab) => {
      await sh(lab, 'test-b', ['ip', 'addr', 'del', '10.213.50.12/24', 'dev', 'eth2']);
      await sh(lab, 'test-b', ['ip', 'addr', 'add', '10.213.50.99/24', 'dev', 'eth2']);
    },
    restore: async (lab) => {
      await quiet(lab, 'test-b', ['ip', 'addr', 'del', '10.213.50.99/24', 'dev', 'eth2']);
      await quiet(lab, 'test-b', ['ip', 'addr', 'replace', '10.213.50.12/24', 'dev', 'eth2']);
    },
  },
  {
    kind: 'host-firewall',
    inject: (lab) => sh(lab, 'test-b', ['nft', 'table inet olt_fw { chain input { type filter hook input priority 0; policy accept; icmp type echo-request counter drop; }; }']),
    restore: (lab) => quiet(lab, 'test-b', ['nft', 'delete table inet olt_fw']),
  },
  { kind: 'no-route', inject: (lab) => sh(lab, 'test-a', ['ip', 'route', 'del', '10.213.50.0/24', 'dev', 'eth2']), restore: (lab) => quiet(lab, 'test-a', ['ip', 'route', 'replace', '10.213.50.0/24', 'dev', 'eth2']) },
];
