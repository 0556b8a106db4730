// Which OVS interface types and kernel link kinds are tunnels (or patches): devices whose frames
// go somewhere else than a wire of this host, so they have no MTU or MAC of the overlay's own.

const OVS_TUNNEL_TYPES = new Set(['vxlan', 'geneve', 'gre', 'patch', 'stt', 'lisp', 'erspan', 'ip6gre', 'ip6erspan', 'gtpu', 'bareudp']);
const KERNEL_TUNNEL_KINDS = new Set(['vxlan', 'geneve', 'gretap', 'ip6gretap', 'gre', 'ip6gre']);

/** An OVS interface type that carries frames elsewhere: a tunnel or a patch port. */
export function isOvsTunnelType(type: string): boolean {
  return OVS_TUNNEL_TYPES.has(type);
}

/** A kernel link kind that is a tunnel device. */
export function isKernelTunnelKind(kind: string | undefined): boolean {
  return kind !== undefined && KERNEL_TUNNEL_KINDS.has(kind);
}
