// Bytes a tunnel adds to each frame it carries, counted the way MTUs are compared: the outer
// IP packet is the overlay's IP MTU plus the inner Ethernet header plus the tunnel headers.

import type { IpFamily } from '../lab/addresses';
import { kindOfOvsType, TUNNEL_KINDS } from '../lab/tunnelKinds';

export interface Overhead {
  bytes: number;
  /** How the bytes add up, for messages: `14 Ethernet + 8 VXLAN + 8 UDP + 20 IPv4`. */
  parts: string;
}

const INNER_ETHERNET = 14;
const UDP = 8;
const IP_HEADER: Record<IpFamily, number> = { 4: 20, 6: 40 };

/**
 * VXLAN: 50 over IPv4, 70 over IPv6. Geneve: the same before options (OVS adds none unless
 * told to). GRE carrying Ethernet (OVS `gre`, Linux `gretap`): 38 over IPv4, 4 more with a key.
 */
export function encapsulationOverhead(type: string, family: IpFamily, key = '0'): Overhead {
  const ip = IP_HEADER[family];
  const ipText = `${ip} IPv${family}`;
  const kind = kindOfOvsType(type) ?? TUNNEL_KINDS.vxlan;
  const keyed = kind.keyBytes > 0 && key !== '0';
  const header = kind.headerBytes + (keyed ? kind.keyBytes : 0);
  const udp = kind.udp ? UDP : 0;
  const parts = [`${INNER_ETHERNET} Ethernet`, `${header} ${kind.label}${keyed ? ' with key' : ''}`, ...(kind.udp ? [`${UDP} UDP`] : []), ipText];
  return { bytes: INNER_ETHERNET + header + udp + ip, parts: parts.join(' + ') };
}

/** The IP packet size of `ping -s payload`: ICMP header plus the IP header. */
export function pingPacketSize(payload: number, family: IpFamily): number {
  return payload + 8 + IP_HEADER[family];
}

export function pingPayload(packetSize: number, family: IpFamily): number {
  return packetSize - 8 - IP_HEADER[family];
}
