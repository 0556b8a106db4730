// The one table of tunnel kinds: what each tunnel type of the lab file is called in Open vSwitch
// and in the kernel, which UDP port it uses, what it adds to a frame, and what its number is
// called. Everything that builds, reads, compares or explains a tunnel reads it here, so that
// a kernel `gretap` is a `gre` tunnel everywhere, and 4789 is written once.

import type { TunnelType } from './types';

export interface TunnelKind {
  type: TunnelType;
  /** As people write it: `VXLAN`, `Geneve`, `GRE`. */
  label: string;
  /** The OVS interface type (`ovs-vsctl … type=`). */
  ovsType: string;
  /** The kernel link kind that carries Ethernet over it (`ip link add … type`), over IPv4 and IPv6. */
  kernelKind: { 4: string; 6: string };
  /** The UDP destination port when none is given (IANA's); 0 for GRE, which is not UDP. */
  defaultDstport: number;
  /** The port a kernel device made without `dstport` uses when it differs from IANA's (VXLAN: 8472). */
  kernelDefaultDstport?: number;
  /** True when it rides UDP (it then has a `dstport`). */
  udp: boolean;
  /** What the lab file's `vni` is on the wire: a VNI (VXLAN, Geneve) or a GRE key. */
  numberName: 'vni' | 'key';
  /** Bytes of its own header, before UDP and IP: Geneve's without options, GRE's without key. */
  headerBytes: number;
  /** Extra header bytes when a key is set (GRE). */
  keyBytes: number;
}

export const TUNNEL_KINDS: Readonly<Record<TunnelType, TunnelKind>> = {
  vxlan: { type: 'vxlan', label: 'VXLAN', ovsType: 'vxlan', kernelKind: { 4: 'vxlan', 6: 'vxlan' }, defaultDstport: 4789, kernelDefaultDstport: 8472, udp: true, numberName: 'vni', headerBytes: 8, keyBytes: 0 },
  geneve: { type: 'geneve', label: 'Geneve', ovsType: 'geneve', kernelKind: { 4: 'geneve', 6: 'geneve' }, defaultDstport: 6081, udp: true, numberName: 'vni', headerBytes: 8, keyBytes: 0 },
  gre: { type: 'gre', label: 'GRE', ovsType: 'gre', kernelKind: { 4: 'gretap', 6: 'ip6gretap' }, defaultDstport: 0, udp: false, numberName: 'key', headerBytes: 4, keyBytes: 4 },
};

const KINDS = Object.values(TUNNEL_KINDS);

/**
 * OVS interface types and kernel link kinds that are tunnels the lab file cannot declare but a
 * host may hold (someone else's ports): shown and measured as tunnels, never built.
 */
const OTHER_OVS_TUNNEL_TYPES = ['stt', 'lisp', 'erspan', 'ip6gre', 'ip6erspan', 'gtpu', 'bareudp'];
/** L3 GRE devices: tunnels, but carrying IP, not Ethernet, so no lab tunnel is one. */
const OTHER_KERNEL_TUNNEL_KINDS = ['gre', 'ip6gre', 'erspan', 'ip6erspan'];

const OVS_TUNNEL_TYPES = new Set([...KINDS.map((kind) => kind.ovsType), ...OTHER_OVS_TUNNEL_TYPES]);
const KERNEL_TUNNEL_KINDS = new Set([...KINDS.flatMap((kind) => [kind.kernelKind[4], kind.kernelKind[6]]), ...OTHER_KERNEL_TUNNEL_KINDS]);

/** The lab's tunnel kind of an OVS interface type (`vxlan` → VXLAN); undefined for any other type. */
export function kindOfOvsType(type: string | undefined): TunnelKind | undefined {
  return KINDS.find((kind) => kind.ovsType === type);
}

/** The lab's tunnel kind of a kernel link kind (`gretap`, `ip6gretap` → GRE); undefined for any other kind. */
export function kindOfKernelKind(kind: string | undefined): TunnelKind | undefined {
  return KINDS.find((candidate) => candidate.kernelKind[4] === kind || candidate.kernelKind[6] === kind);
}

/** An OVS interface type that is a tunnel, the lab's or another. */
export function isOvsTunnelType(type: string | undefined): boolean {
  return type !== undefined && OVS_TUNNEL_TYPES.has(type);
}

/** An OVS interface type whose frames go somewhere else than a wire of this host: a tunnel or a patch port. */
export function isOvsTunnelOrPatch(type: string | undefined): boolean {
  return type === 'patch' || isOvsTunnelType(type);
}

/** A kernel link kind that is a tunnel device. */
export function isKernelTunnelKind(kind: string | undefined): boolean {
  return kind !== undefined && KERNEL_TUNNEL_KINDS.has(kind);
}
