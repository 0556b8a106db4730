// Turns the blank demo lab into what examples/demo.lab.yaml declares, with plain commands run in
// the hosts' namespaces: an oracle that owes nothing to the product, so tests of state reading
// and of apply can compare the product's work against a lab configured by hand.
//
// The values below are copied from examples/demo.lab.yaml on purpose (not read through the
// product's parser): if the two ever disagree, a test comparing them says so.

import { strict as assert } from 'node:assert';
import type { TestLab } from './testlab';

/** One OVS server of the demo: underlay on br-phy (holding eth0), overlay on br0 (eth2 + vx0). */
export interface DemoOvsHost {
  name: string;
  underlay: string;
  overlay: string;
  /** Underlay address of the other site, where vx0 points. */
  remoteIp: string;
}

export const DEMO_OVS_HOSTS: readonly DemoOvsHost[] = [
  { name: 'ovs-a', underlay: '10.213.100.1/24', overlay: '10.213.50.1/24', remoteIp: '10.213.100.2' },
  { name: 'ovs-b', underlay: '10.213.100.2/24', overlay: '10.213.50.2/24', remoteIp: '10.213.100.1' },
];

export const DEMO_TEST_HOSTS: readonly { name: string; address: string }[] = [
  { name: 'test-a', address: '10.213.50.11/24' },
  { name: 'test-b', address: '10.213.50.12/24' },
];

export interface ConfigureDemoOptions {
  /** After configuring, check that test-a reaches test-b through the tunnel (default true). */
  verify?: boolean;
}

async function must(lab: TestLab, host: string, argv: string[]): Promise<string> {
  return (await lab.nsExec(host, argv, { check: true, timeoutMs: 20_000 })).stdout;
}

async function configureOvsHost(lab: TestLab, h: DemoOvsHost): Promise<void> {
  // The bridge's own MAC is random unless set; giving br-phy eth0's makes the underlay's ARP
  // answers match the frames that leave through eth0.
  const eth0Mac = (await must(lab, h.name, ['cat', '/sys/class/net/eth0/address'])).trim();
  assert.match(eth0Mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, `${h.name}: eth0's MAC`);
  // Without the OVS kernel module only the userspace datapath (netdev) works; OVS's native
  // tunnelling then wants the underlay address on a bridge that holds the physical port.
  await must(lab, h.name, [
    'ovs-vsctl', '--may-exist', 'add-br', 'br-phy',
    '--', 'set', 'bridge', 'br-phy', 'datapath_type=netdev', `other_config:hwaddr=${eth0Mac}`,
    '--', '--may-exist', 'add-port', 'br-phy', 'eth0',
  ]);
  await must(lab, h.name, ['ip', 'addr', 'flush', 'dev', 'eth0']);
  await must(lab, h.name, ['ip', 'addr', 'replace', h.underlay, 'dev', 'br-phy']);
  await must(lab, h.name, ['ip', 'link', 'set', 'br-phy', 'up']);
  await must(lab, h.name, [
    'ovs-vsctl', '--may-exist', 'add-br', 'br0',
    '--', 'set', 'bridge', 'br0', 'datapath_type=netdev',
    '--', '--may-exist', 'add-port', 'br0', 'eth2',
    '--', '--may-exist', 'add-port', 'br0', 'vx0',
    '--', 'set', 'interface', 'vx0', 'type=vxlan', `options:remote_ip=${h.remoteIp}`,
    // The overlay runs at 1450, so that a full frame plus VXLAN's 50 bytes fits the underlay.
    '--', 'set', 'interface', 'br0', 'mtu_request=1450',
  ]);
  await must(lab, h.name, ['ip', 'link', 'set', 'dev', 'eth2', 'mtu', '1450']);
  await must(lab, h.name, ['ip', 'addr', 'flush', 'dev', 'eth2']);
  await must(lab, h.name, ['ip', 'addr', 'replace', h.overlay, 'dev', 'br0']);
  await must(lab, h.name, ['ip', 'link', 'set', 'br0', 'up']);
}

/** Configures every host as examples/demo.lab.yaml declares; idempotent. */
export async function configureDemoLab(lab: TestLab, opts: ConfigureDemoOptions = {}): Promise<void> {
  lab.assertNamespaces();
  await Promise.all(DEMO_OVS_HOSTS.map((h) => configureOvsHost(lab, h)));
  await Promise.all(
    DEMO_TEST_HOSTS.map(async (h) => {
      await must(lab, h.name, ['ip', 'link', 'set', 'dev', 'eth2', 'mtu', '1450']);
      await must(lab, h.name, ['ip', 'addr', 'replace', h.address, 'dev', 'eth2']);
    }),
  );
  if (opts.verify ?? true) await assertTunnelCarries(lab);
}

/**
 * test-a pings test-b (10.213.50.12) across the VXLAN tunnel: three echoes, two seconds each at
 * most. The first may be lost while OVS resolves the tunnel's next hop; one answer proves the path.
 */
export async function assertTunnelCarries(lab: TestLab): Promise<void> {
  lab.assertNamespaces();
  const ping = await lab.nsExec('test-a', ['ping', '-n', '-c', '3', '-W', '2', '10.213.50.12'], { timeoutMs: 15_000 });
  assert.equal(ping.code, 0, `test-a cannot reach test-b (10.213.50.12) through the VXLAN tunnel:\n${ping.stdout}${ping.stderr}`);
}
