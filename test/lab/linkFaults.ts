// Lost links, injected for real: a host whose SSH traffic vanishes without a FIN or an RST (a
// black hole: nftables in the host's own namespace drops every packet to and from its sshd),
// as a dead cable, a crashed hypervisor or a firewall change does.

import type { TestLab } from './testlab';

const TABLE = 'overlay_lab_blackhole';

/** Drops every packet to and from the host's sshd port, silently, in the host's namespace. */
export async function blackHoleSsh(lab: TestLab, host: string): Promise<void> {
  const port = String(lab.host(host).sshPort);
  lab.assertNamespaces([lab.host(host).namespace]);
  const rules = [
    `add table inet ${TABLE}`,
    `add chain inet ${TABLE} input { type filter hook input priority -10; policy accept; }`,
    `add chain inet ${TABLE} output { type filter hook output priority -10; policy accept; }`,
    `add rule inet ${TABLE} input tcp dport ${port} drop`,
    `add rule inet ${TABLE} output tcp sport ${port} drop`,
  ];
  await lab.nsExec(host, ['nft', '-f', '-'], { input: rules.join('\n') + '\n', check: true });
}

/** Lets the host's SSH traffic through again. */
export async function endBlackHole(lab: TestLab, host: string): Promise<void> {
  await lab.nsExec(host, ['nft', 'delete', 'table', 'inet', TABLE], { check: false });
}
