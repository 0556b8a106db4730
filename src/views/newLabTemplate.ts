// The smallest lab that checks clean, with comments that point at what to add. "New Lab" writes
// one of the fuller templates of labTemplates.ts; this stays as the minimal starting point.

export const NEW_LAB_TEMPLATE = `# An Overlay Lab file: the hosts of an overlay network, how to reach them over SSH,
# and (under each host) the bridges, ports and tunnels they should have.
version: 1
name: my-lab

defaults:
  ssh:
    user: root

hosts:
  host-a:
    ssh: { host: 192.0.2.10 }   # an address, a DNS name, or a Host alias from ~/.ssh/config
  host-b:
    ssh: { host: 192.0.2.11 }
`;
