// Each bridge, port and interface a host's part of the lab file declares, joined with what the
// host reported of it: whether it is there (as the one comparison, compare/compareHost.ts, says),
// the objects it was read as, and its health. The topology draws this join; presence is "not
// known" whenever the part of the reading that would show it (the OVS database, or `ip`) did not
// answer, so that nothing is called missing unread.

import { compareLabHost } from '../compare/compareHost';
import { devicePresence, presenceOf } from '../compare/hostLayout';
import type { Presence as ComparedPresence } from '../compare/types';
import type { LabBridge, LabHost, LabInterface, LabPort, ResolvedTunnel } from '../lab/types';
import { deviceHealth, type Health } from './health';
import type { HostState, LinkState, OvsBridge, OvsInterface, OvsPort } from './types';

/** `true` there, `false` declared but not there, `undefined` not known (the host, or that part of it, was not read). */
export type Presence = boolean | undefined;

export interface DeclaredPort {
  declared: LabPort;
  ovsPort?: OvsPort;
  /** The OVS interface of the port: the one of its name, else its first. */
  iface?: OvsInterface;
  link?: LinkState;
  present: Presence;
  health: Health;
  /** The resolved tunnel, for a tunnel port. */
  tunnel?: ResolvedTunnel;
}

export interface DeclaredBridge {
  declared: LabBridge;
  ovs?: OvsBridge;
  /** The bridge's own kernel device (its internal port, for OVS). */
  link?: LinkState;
  present: Presence;
  health: Health;
  ports: DeclaredPort[];
}

/** A kernel device of a host, by name, as read. */
export interface HostDevice {
  name: string;
  link?: LinkState;
  present: Presence;
  health: Health;
}

export interface DeclaredInterface extends HostDevice {
  declared: LabInterface;
}

export interface DeclaredDevices {
  bridges: DeclaredBridge[];
  /** Declared interfaces that no bridge of the host holds as a port (those are shown as ports). */
  interfaces: DeclaredInterface[];
}

const NOT_READ: Health = { state: 'unknown', reason: 'not read' };

function asPresence(presence: ComparedPresence): Presence {
  return presence === 'unknown' ? undefined : presence === 'present';
}

function linksOf(state: HostState | undefined): Map<string, LinkState> {
  return new Map((state?.linksKnown ? state.links : []).map((link) => [link.name, link]));
}

export function declaredDevices(host: LabHost, tunnels: readonly ResolvedTunnel[], state: HostState | undefined): DeclaredDevices {
  const links = linksOf(state);
  const ovsBridges = new Map((state?.bridgesKnown ? state.bridges : []).map((bridge) => [bridge.name, bridge]));
  const enslaved = new Set(host.bridges.flatMap((bridge) => bridge.ports.map((port) => port.name)));
  const comparison = state ? compareLabHost({ hosts: [host], tunnels: [...tunnels] }, host.name, state) : undefined;

  const bridges = host.bridges.map((declared): DeclaredBridge => {
    const ovs = declared.kind === 'ovs' ? ovsBridges.get(declared.name) : undefined;
    const link = links.get(declared.name);
    const present = asPresence(presenceOf(comparison, declared.kind === 'ovs' ? ['ovs-bridge'] : ['linux-bridge'], declared.name));
    const ports = declared.ports.map((port): DeclaredPort => {
      const ovsPort = ovs?.ports.find((candidate) => candidate.name === port.name);
      const iface = ovsPort?.interfaces.find((candidate) => candidate.name === port.name) ?? ovsPort?.interfaces[0];
      const portLink = links.get(port.name);
      const portPresent = asPresence(presenceOf(comparison, declared.kind === 'ovs' ? ['ovs-port'] : ['linux-port'], port.name, declared.name));
      const tunnel = tunnels.find((candidate) => candidate.host === host.name && candidate.bridge === declared.name && candidate.port === port.name);
      return {
        declared: port,
        ovsPort,
        iface,
        link: portLink,
        present: portPresent,
        health: portPresent ? deviceHealth({ iface, link: portLink, ovs: state?.ovs }) : NOT_READ,
        ...(tunnel ? { tunnel } : {}),
      };
    });
    return { declared, ovs, link, present, health: present && link ? deviceHealth({ link }) : NOT_READ, ports };
  });

  const interfaces = host.interfaces
    .filter((declared) => !enslaved.has(declared.name))
    .map((declared): DeclaredInterface => ({ ...deviceOn(state, declared.name), present: asPresence(presenceOf(comparison, ['interface'], declared.name)), declared }));
  return { bridges, interfaces };
}

/** A kernel device of a host by name (a segment member, say): whether it is there, and its health. */
export function deviceOn(state: HostState | undefined, name: string): HostDevice {
  const link = linksOf(state).get(name);
  const present = asPresence(devicePresence(state, name));
  return { name, link, present, health: present === undefined ? NOT_READ : deviceHealth({ link }) };
}
