// Hand-made host states for the demo lab (examples/demo.lab.yaml), shaped like the recorded
// probes of test/fixtures/hosts: blank hosts, configured hosts, and pieces to vary them.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostReading, HostState, LabState, LinkState, OvsBridge, OvsInterface } from '../../../src/hosts/types';
import { loadLabText } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';

// The demo lab as the recorded states were made from it (see the file's header).
export const DEMO_FILE = join(__dirname, '../../fixtures/labs/recorded/demo.lab.yaml');

export function demoLab(): Lab {
  const result = loadLabText(readFileSync(DEMO_FILE, 'utf8'), DEMO_FILE);
  assert.ok(result.lab, 'the demo lab checks clean');
  return result.lab;
}

const NO_TRAFFIC = { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0, rxErrors: 0, txErrors: 0 };

export function link(name: string, fields: Partial<LinkState> = {}): LinkState {
  return { name, index: 1, mtu: 1500, up: true, operState: 'UP', addresses: [], stats: { ...NO_TRAFFIC }, ...fields };
}

export function address(cidr: string) {
  return { cidr, family: cidr.includes(':') ? ('inet6' as const) : ('inet' as const), scope: 'global' };
}

export function iface(name: string, type: string, fields: Partial<OvsInterface> = {}): OvsInterface {
  return { name, type, options: {}, adminState: 'up', linkState: 'up', statistics: {}, status: {}, ...fields };
}

function bridge(name: string, ports: OvsInterface[]): OvsBridge {
  return { name, datapathType: 'netdev', otherConfig: {}, ports: [iface(name, 'internal'), ...ports].map((i) => ({ name: i.name, interfaces: [i] })) };
}

function host(name: string, fields: Partial<HostState>): HostState {
  return {
    host: name,
    readAt: '2026-01-01T00:00:00.000Z',
    elapsedMs: 18,
    system: { kernel: '6.1.0', distribution: 'Debian GNU/Linux 12 (bookworm)', hostname: name },
    ovs: { state: 'running', version: '3.1.0', dbVersion: '8.3.1' },
    bridgesKnown: true,
    bridges: [],
    linksKnown: true,
    links: [link('lo', { operState: 'UNKNOWN', addresses: [{ cidr: '127.0.0.1/8', family: 'inet', scope: 'host' }] })],
    notes: [],
    ...fields,
  };
}

const SIDE = { 'ovs-a': { n: 1, peer: 2 }, 'ovs-b': { n: 2, peer: 1 } } as const;

/** An OVS host with its daemons running and nothing made: no bridges, eth0 and eth2 bare. */
export function blankOvsHost(name: 'ovs-a' | 'ovs-b'): HostState {
  return host(name, { links: [...host(name, {}).links, link('eth0', { kind: 'veth', mac: `02:00:00:00:0${SIDE[name].n}:00` }), link('eth2', { kind: 'veth', mac: `02:00:00:00:0${SIDE[name].n}:02` })] });
}

/** An OVS host as the demo lab declares it. */
export function configuredOvsHost(name: 'ovs-a' | 'ovs-b'): HostState {
  const { n, peer } = SIDE[name];
  return host(name, {
    bridges: [
      bridge('br-phy', [iface('eth0', 'system', { mac: `02:00:00:00:0${n}:00`, ofport: 1 })]),
      bridge('br0', [
        iface('eth2', 'system', { mac: `02:00:00:00:0${n}:02`, ofport: 2 }),
        iface('vx0', 'vxlan', { options: { remote_ip: `10.213.100.${peer}` }, ofport: 3, statistics: { rx_packets: 12, rx_bytes: 1176, tx_packets: 13, tx_bytes: 1274 } }),
      ]),
    ],
    links: [
      ...host(name, {}).links,
      link('eth0', { kind: 'veth', mac: `02:00:00:00:0${n}:00` }),
      link('eth2', { kind: 'veth', mac: `02:00:00:00:0${n}:02` }),
      link('br-phy', { kind: 'tun', operState: 'UNKNOWN', mac: `02:00:00:00:0${n}:00`, addresses: [address(`10.213.100.${n}/24`)] }),
      link('br0', { kind: 'tun', operState: 'UNKNOWN', mac: `02:00:00:00:0${n}:50`, addresses: [address(`10.213.50.${n}/24`)] }),
    ],
  });
}

/** A test host: eth2, with its address when configured. */
export function testHost(name: 'test-a' | 'test-b', configured: boolean): HostState {
  const n = name === 'test-a' ? 11 : 12;
  return host(name, {
    ovs: { state: 'missing', message: 'Open vSwitch is not installed' },
    bridgesKnown: false,
    links: [...host(name, {}).links, link('eth2', { kind: 'veth', mac: `02:00:00:00:${n}:02`, addresses: configured ? [address(`10.213.50.${n}/24`)] : [] })],
  });
}

export function ok(state: HostState): HostReading {
  return { ok: true, state };
}

export function failed(hostName: string, kind: string, message: string): HostReading {
  return { ok: false, failure: { host: hostName, readAt: '2026-01-01T00:00:00.000Z', kind, message } };
}

export function configuredStates(): Record<string, HostState> {
  return { 'ovs-a': configuredOvsHost('ovs-a'), 'ovs-b': configuredOvsHost('ovs-b'), 'test-a': testHost('test-a', true), 'test-b': testHost('test-b', true) };
}

export function blankStates(): Record<string, HostState> {
  return { 'ovs-a': blankOvsHost('ovs-a'), 'ovs-b': blankOvsHost('ovs-b'), 'test-a': testHost('test-a', false), 'test-b': testHost('test-b', false) };
}

export function labState(lab: Lab, readings: Record<string, HostReading>, drift: LabState['drift'] = []): LabState {
  return { lab: lab.name, file: lab.file, hosts: readings, drift };
}
