// Drift: the comparison's differences in words, one item each, with its subject (where it
// belongs in the tree and the topology), the two values and the line of the lab file. Nothing is
// compared here: compareHost.ts decides, this only says it. A host that could not be read has no
// state and so no drift: that is a failure, reported as such.

import type { Lab, LabHost } from '../lab/types';
import type { DriftItem, DriftSubject, HostReading, HostState, LabState } from '../hosts/types';
import { compareLabHost } from './compareHost';
import type { ComparedObject, Difference, HostComparison } from './types';

/** Drift of every host that has a state, in the lab's host order. */
export function labDrift(lab: Lab, states: Readonly<Record<string, HostState | undefined>>): DriftItem[] {
  return lab.hosts.flatMap((host) => {
    const state = states[host.name];
    return state ? hostDrift(lab, host, state) : [];
  });
}

export function hostDrift(lab: Lab, host: LabHost, state: HostState): DriftItem[] {
  return driftOf(compareLabHost(lab, host.name, state));
}

/** The lab's readings with the drift of each host that was read. */
export function withDrift(lab: Lab, readings: { lab: string; file: string; hosts: Record<string, HostReading> }): LabState {
  const states = Object.fromEntries(Object.entries(readings.hosts).flatMap(([name, reading]) => (reading.ok ? [[name, reading.state]] : [])));
  return { ...readings, drift: labDrift(lab, states) };
}

export function driftOf(comparison: HostComparison): DriftItem[] {
  const host = comparison.host;
  const items: DriftItem[] = comparison.blockers.map((blocker) => ({
    subject: { host, kind: 'host', name: host },
    // Not installed or not running is something to fix; not readable leaves the truth unknown.
    status: blocker.kind === 'ovs-missing' || blocker.kind === 'ovs-stopped' ? 'missing' : 'unknown',
    message: blocker.message,
    range: blocker.range,
  }));
  for (const object of comparison.objects) items.push(...objectDrift(host, object));
  return inFileOrder(items);
}

/** Fields of the device itself, said even when the object around it is missing (a port not yet on its bridge). */
const DEVICE_FIELDS = new Set<Difference['field']>(['admin', 'mtu', 'bridged-address']);

function subjectOf(host: string, object: ComparedObject): DriftSubject {
  switch (object.kind) {
    case 'ovs-bridge':
    case 'linux-bridge':
      return { host, kind: 'bridge', name: object.name };
    case 'ovs-port':
    case 'linux-port':
      return { host, kind: 'port', name: object.name, bridge: object.bridge };
    case 'interface':
      return { host, kind: 'interface', name: object.name };
    case 'address':
      return { host, kind: 'address', name: object.device ?? object.name };
  }
}

function objectDrift(host: string, object: ComparedObject): DriftItem[] {
  if (object.presence === 'unknown') return [];
  const subject = subjectOf(host, object);
  const items: DriftItem[] = [];
  // What replaces "missing": a device of another kind holds the name, or the address is elsewhere.
  const instead = object.differences.filter((d) => d.field === 'kind' || d.field === 'holder');
  if (object.presence === 'missing' && instead.length === 0) items.push({ subject, status: 'missing', message: missingMessage(object), range: object.range });
  for (const difference of object.differences) {
    if (object.presence === 'missing' && !DEVICE_FIELDS.has(difference.field) && !instead.includes(difference)) continue;
    items.push(differenceItem(subject, object, difference));
  }
  return items;
}

function missingMessage(object: ComparedObject): string {
  switch (object.kind) {
    case 'ovs-bridge':
    case 'linux-bridge':
      return `bridge ${object.name} is missing`;
    case 'ovs-port':
    case 'linux-port':
      return `port ${object.name} is missing from bridge ${object.bridge}`;
    case 'interface':
      return `interface ${object.name} is missing`;
    case 'address':
      return `address ${object.name} is missing on ${object.device}`;
  }
}

function article(word: string): string {
  return `a${/^[aeiou]/.test(word) ? 'n' : ''} ${word}`;
}

function kindPhrase(kind: string): string {
  return kind === 'device' ? 'a plain device' : `${article(kind)} device`;
}

/** `vx0 has remote_ip 10.0.0.9; the lab says 10.0.0.2`, `vx0 has no key; …` */
function hasSays(name: string, what: string, d: Difference): string {
  return `${name} has ${d.actual === 'none' ? `no ${what}` : `${what} ${d.actual}`}; the lab says ${d.expected}`;
}

function differenceItem(subject: DriftSubject, object: ComparedObject, d: Difference): DriftItem {
  const name = object.name;
  const different = (message: string, overrides: Partial<DriftItem> = {}): DriftItem => ({ subject, status: 'different', message, range: d.range, expected: d.expected, actual: d.actual, ...overrides });
  switch (d.field) {
    case 'kind':
      if (object.kind === 'ovs-bridge') return different(`${name} is a Linux bridge; the lab says ovs`);
      if (object.kind === 'linux-bridge') return different(d.actual === 'ovs' ? `${name} is an Open vSwitch bridge; the lab says linux` : `${name} is ${kindPhrase(d.actual)}, not a Linux bridge`);
      return different(`${name} is ${kindPhrase(d.actual)}; the lab says ${object.type}`);
    case 'datapath':
      return different(`bridge ${name} has datapath ${d.actual}; the lab says ${d.expected}`);
    case 'bridge':
      return different(`port ${name} is on bridge ${d.actual}; the lab says ${d.expected}`);
    case 'type':
      return different(`${name} is ${article(d.actual)} port; the lab says ${d.expected}`);
    case 'remote_ip':
    case 'key':
    case 'dst_port':
    case 'local_ip':
    case 'peer':
      return different(hasSays(name, d.field, d));
    case 'tag':
      return different(`${name} has ${d.actual === 'none' ? 'no VLAN tag' : `VLAN tag ${d.actual}`}; the lab says ${d.expected}`);
    case 'error':
      return different(`${name} on bridge ${object.bridge} has an error: ${d.actual}`);
    case 'master':
      return different(d.actual === 'none' ? `${name} is not a port of bridge ${d.expected}` : `${name} is a port of ${d.actual}; the lab says ${d.expected}`);
    case 'vni':
      return different(hasSays(name, object.type === 'gre' ? 'key' : 'VNI', d));
    case 'remote':
    case 'local':
    case 'dstport':
      return different(hasSays(name, d.field, d));
    case 'mtu':
      return different(`${name} has MTU ${d.actual}; the lab says ${d.expected}`);
    case 'admin':
      return different(`${name} is administratively down; the lab says up`);
    case 'prefix':
      return different(`${object.device} holds ${d.actual}; the lab says ${d.expected}`);
    case 'holder':
      return different(`address ${name} is on ${d.actual}; the lab says ${d.expected}`);
    case 'bridged-address':
      return {
        subject: { ...subject, kind: 'address' },
        status: 'unexpected',
        message: `${name} holds ${d.actual} but is a port of bridge ${object.bridge}, so it should hold no address`,
        range: d.range,
      };
  }
}

/**
 * Host-wide items first, then by the line of the declaration. Stable, and by line only, so the
 * items of one flow-style port (`{ name: vx0, remote: …, vni: … }`) keep the comparison's order.
 */
function inFileOrder(items: DriftItem[]): DriftItem[] {
  const key = (item: DriftItem) => (item.subject.kind === 'host' || !item.range ? -1 : item.range.line);
  return items.map((item, i) => ({ item, i })).sort((a, b) => key(a.item) - key(b.item) || a.i - b.i).map(({ item }) => item);
}
