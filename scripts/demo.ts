// `npm run demo`: the product against the built-in demo lab. Brings up examples/demo.lab.yaml's
// hosts in network namespaces (real sshd and Open vSwitch), checks that every host answers
// through Overlay Lab's own SSH core, says what to try next, and tears it all down on Ctrl-C.

import { loadLabFile } from '../src/lab/load';
import { EndpointTable } from '../src/ssh/endpoints';
import { SshPool } from '../src/ssh/pool';
import { SshConfigReader } from '../src/ssh/sshConfig';
import { canBuildTestLab, demoSpec, TestLab } from '../test/lab';
import { writeDemoLabFile } from '../test/integration/support/labFiles';

// One line per host: its name, kernel and the version of its running Open vSwitch.
const HOST_SUMMARY = 'ovs=$(ovs-vsctl --timeout=2 get Open_vSwitch . ovs_version 2>/dev/null) || ovs="not running"; echo "$(hostname), kernel $(uname -r), Open vSwitch $ovs" | tr -d \'"\'';

async function main(): Promise<void> {
  const can = await canBuildTestLab(demoSpec);
  if (!can.ok) {
    process.stderr.write(`The demo cannot run here: ${can.reason}\nIt needs Linux, root, network namespaces, and the packages openssh-server openvswitch-switch tcpdump iproute2 ethtool (see .ci/run).\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write('Bringing up the demo lab (4 hosts in network namespaces)...\n');
  // Ctrl-C is ours to handle (below), so the lab's own exit hooks stay off.
  const lab = await TestLab.up(demoSpec, { registerExitHooks: false, log: (line) => process.stdout.write(`  ${line}\n`) });
  try {
    await showLab(lab);
  } finally {
    process.stdout.write('\nTearing down the demo lab...\n');
    await lab.down();
    process.stdout.write('Done: no namespace, link or process of the demo is left.\n');
  }
}

async function showLab(lab: TestLab): Promise<void> {
  const file = writeDemoLabFile(lab, 'demo');

  const { lab: model, diagnostics } = await loadLabFile(file);
  if (!model) throw new Error(`the demo lab file does not validate: ${diagnostics.map((d) => d.message).join('; ')}`);
  const pool = new SshPool(new EndpointTable(model, new SshConfigReader({ userFile: '/nonexistent', systemFile: '/nonexistent', home: '/nonexistent' })), {
    onNotice: (_host, message) => process.stdout.write(`  ${message}\n`),
  });
  process.stdout.write('\nEvery host, through Overlay Lab’s SSH core:\n');
  const rows = await Promise.all(
    model.hosts.map(async (host) => {
      try {
        const result = await pool.exec(host.name, ['sh', '-c', HOST_SUMMARY]);
        return `  ✔ ${host.name.padEnd(7)} ${result.stdout.trim()}${host.ssh.jump ? `   (via ${host.ssh.jump})` : ''}`;
      } catch (error) {
        return `  ✘ ${host.name.padEnd(7)} ${(error as Error).message}`;
      }
    }),
  );
  process.stdout.write(`${rows.join('\n')}\n`);
  pool.dispose();

  const shown = file;
  process.stdout.write(
    [
      '',
      `The lab file, with the demo's own key and known_hosts: ${shown}`,
      'Try, in another terminal:',
      `  bin/overlay-lab validate ${shown}`,
      `  bin/overlay-lab exec ${shown} test-a -- ip -br addr     # through its jump host ovs-a`,
      `  bin/overlay-lab exec ${shown} ovs-a -- ovs-vsctl show`,
      `  ssh -F ${lab.paths.sshConfig} ovs-b                     # plain OpenSSH works too`,
      '',
      'Press Ctrl-C to tear the lab down.',
      '',
    ].join('\n'),
  );
  // Signal listeners alone do not keep Node running; the timer does, until Ctrl-C.
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGHUP', resolve);
  });
  clearInterval(keepAlive);
}

main().catch((error) => {
  process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
