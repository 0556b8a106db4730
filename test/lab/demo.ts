// The labs the project builds: the demo lab of examples/demo.lab.yaml, and a wide one
// for the scaling benchmark.

import { DEFAULT_MGMT_SUBNET, formatIpv4, networkOf, parseCidr, parseIpv4, type TestLabSpec } from './spec';

export interface LabSpecOptions {
  prefix?: string;
  /**
   * Move the management network elsewhere in 10.213.0.0/16 (host addresses keep their
   * offset: .11, .12, …), so that a second lab can be up beside one that holds the
   * default 10.213.0.0/24 (the root namespace can route a subnet to one bridge only).
   */
  mgmtSubnet?: string;
}

/** The host on `mgmtSubnet` with the same last-octet offset as `defaultAddress` has on the default subnet. */
function remap(defaultAddress: string, mgmtSubnet: string | undefined): string {
  if (mgmtSubnet === undefined) return defaultAddress;
  const from = parseCidr(DEFAULT_MGMT_SUBNET);
  const to = parseCidr(mgmtSubnet);
  const offset = parseIpv4(defaultAddress) - networkOf(from);
  return formatIpv4(networkOf(to) + offset);
}

/**
 * The hosts and cables of examples/demo.lab.yaml, blank: no bridges and no addresses on
 * eth0/eth2, which the product's apply configures.
 */
export function demoLabSpec(opts: LabSpecOptions = {}): TestLabSpec {
  return {
    prefix: opts.prefix ?? 'olt',
    mgmtSubnet: opts.mgmtSubnet ?? DEFAULT_MGMT_SUBNET,
    hosts: [
      { name: 'ovs-a', ovs: true, mgmtAddress: remap('10.213.0.11', opts.mgmtSubnet) },
      { name: 'ovs-b', ovs: true, mgmtAddress: remap('10.213.0.12', opts.mgmtSubnet) },
      { name: 'test-a', behind: { host: 'ovs-a', address: '10.213.1.2/30', gatewayAddress: '10.213.1.1/30' } },
      { name: 'test-b', behind: { host: 'ovs-b', address: '10.213.2.2/30', gatewayAddress: '10.213.2.1/30' } },
    ],
    segments: [
      { name: 'cn-a', members: [{ host: 'ovs-a', iface: 'eth2' }, { host: 'test-a', iface: 'eth2' }] },
      { name: 'cn-b', members: [{ host: 'ovs-b', iface: 'eth2' }, { host: 'test-b', iface: 'eth2' }] },
      { name: 'wan', members: [{ host: 'ovs-a', iface: 'eth0' }, { host: 'ovs-b', iface: 'eth0' }] },
    ],
  };
}

/** The demo lab as described in examples/demo.lab.yaml, prefix `olt`. */
export const demoSpec: TestLabSpec = demoLabSpec();

export interface ScaleLabOptions extends LabSpecOptions {
  /** Run OVS on every host (slower to build, closer to the real thing). Default false. */
  ovs?: boolean;
}

/** Host names of the scale lab: h01, h02, … */
export function scaleHostName(i: number): string {
  return `h${String(i + 1).padStart(2, '0')}`;
}

/**
 * `count` hosts, all on the management network (first at .11), no segments: for measuring
 * how the product's connection pool and probes scale with the number of hosts.
 */
export function scaleLabSpec(count: number, opts: ScaleLabOptions = {}): TestLabSpec {
  const first = 11;
  if (!Number.isInteger(count) || count < 1 || first + count - 1 > 254) {
    throw new Error(`scaleLabSpec: count must be 1..${254 - first + 1}, got ${count}`);
  }
  const hosts = Array.from({ length: count }, (_, i) => ({
    name: scaleHostName(i),
    ovs: opts.ovs ?? false,
    mgmtAddress: remap(`10.213.0.${first + i}`, opts.mgmtSubnet),
  }));
  return { prefix: opts.prefix ?? 'oltb', mgmtSubnet: opts.mgmtSubnet ?? DEFAULT_MGMT_SUBNET, hosts, segments: [] };
}
