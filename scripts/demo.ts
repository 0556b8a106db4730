// `npm run demo`: the product against the built-in demo lab. Brings up examples/demo.lab.yaml's
// hosts in network namespaces (real sshd and Open vSwitch), checks that every host answers
// through Overlay Lab's own SSH core, then opens the product itself: the extension, freshly
// packaged, in a VS Code served by code-server on 127.0.0.1 (installed into a cache folder on
// the first run), with the lab file's folder open. Says what to try next, and tears it all down
// (code-server, then the lab) on Ctrl-C.
//
// Usage: npm run demo [-- --no-editor] [-- --port N]

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabFile } from '../src/lab/load';
import { EndpointTable } from '../src/ssh/endpoints';
import { SshPool } from '../src/ssh/pool';
import { canBuildTestLab, demoSpec, TestLab } from '../test/lab';
import { noSshConfig, writeDemoLabFile } from '../test/lab/labFiles';
import { cacheRoot, ensureCodeServer, packageExtension, startCodeServer, type CodeServer } from './codeServer';

// One line per host: its name, kernel and the version of its running Open vSwitch.
const HOST_SUMMARY = 'ovs=$(ovs-vsctl --timeout=2 get Open_vSwitch . ovs_version 2>/dev/null) || ovs="not running"; echo "$(hostname), kernel $(uname -r), Open vSwitch $ovs" | tr -d \'"\'';

interface DemoOptions {
  editor: boolean;
  port: number;
}

function parseArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { editor: true, port: 0 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-editor') options.editor = false;
    else if (argv[i] === '--port' && /^\d+$/.test(argv[i + 1] ?? '')) options.port = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run demo [-- --no-editor] [-- --port N]`);
  }
  return options;
}

/** Resolves on the first Ctrl-C (or SIGTERM/SIGHUP); from then on the demo tears down. */
function stopSignal(): Promise<NodeJS.Signals> {
  let signalled = 0;
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      signalled++;
      if (signalled === 1) resolve(signal);
      else if (signalled === 2) process.stdout.write('\nStill tearing down; Ctrl-C once more to quit at once (the lab may then be left: `npm run lab -- down`).\n');
      else process.exit(130);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handler);
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const can = await canBuildTestLab(demoSpec);
  if (!can.ok) {
    process.stderr.write(`The demo cannot run here: ${can.reason}\nIt needs Linux, root, network namespaces, and the packages openssh-server openvswitch-switch tcpdump iproute2 ethtool (see .ci/run).\n`);
    process.exitCode = 1;
    return;
  }
  // Ctrl-C is ours to handle from here on, even while the lab is coming up: it then ends the demo
  // once the lab is up, and the teardown below runs. The lab's own exit hooks stay off.
  const stop = stopSignal();
  process.stdout.write('Bringing up the demo lab (4 hosts in network namespaces)...\n');
  const lab = await TestLab.up(demoSpec, { registerExitHooks: false, log: (line) => process.stdout.write(`  ${line}\n`) });
  try {
    await showLab(lab, options, stop);
  } finally {
    process.stdout.write('\nTearing down the demo lab...\n');
    await lab.down();
    process.stdout.write('Done: no namespace, link or process of the demo is left.\n');
  }
}

async function showLab(lab: TestLab, options: DemoOptions, stop: Promise<NodeJS.Signals>): Promise<void> {
  // The lab file in a folder of its own (removed with the lab): the editor opens that folder,
  // and the CLI lines below use the same file.
  const workspace = join(lab.paths.workDir, 'demo-lab');
  mkdirSync(workspace, { recursive: true });
  const file = join(workspace, 'demo.lab.yaml');
  copyFileSync(writeDemoLabFile(lab, 'demo'), file);

  const { lab: model, diagnostics } = await loadLabFile(file);
  if (!model) throw new Error(`the demo lab file does not validate: ${diagnostics.map((d) => d.message).join('; ')}`);
  const pool = new SshPool(new EndpointTable(model, noSshConfig()), {
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

  // The editor: started while Ctrl-C may come; whatever it got to is stopped in the end.
  const starting = options.editor ? startEditor(workspace, options.port) : Promise.resolve<EditorResult>({ missing: 'left out (--no-editor)' });
  const first = await Promise.race([starting, stop.then(() => undefined)]);
  try {
    if (first === undefined) return;
    const editor = first;
    const shown = file;
    process.stdout.write(
      [
        '',
        ...(editor.server
          ? [
              'The extension in VS Code (code-server on 127.0.0.1, this machine only), with the lab file’s folder open:',
              '',
              `  ${editor.server.folderUrl}`,
              '',
              'Open it in a browser here (or through an SSH tunnel: ssh -L PORT:127.0.0.1:PORT this-machine).',
              'Try: the Overlay Lab icon in the activity bar; F1 › Overlay Lab: Apply; Overlay Lab: Show Topology,',
              'then a "capture" on an interface; Terminal › Run Task… › demo: versions.',
            ]
          : [`The editor is not available: ${editor.missing}`]),
        '',
        `The lab file, with the demo's own key and known_hosts: ${shown}`,
        'Try, in another terminal:',
        `  bin/overlay-lab validate ${shown}`,
        `  bin/overlay-lab exec ${shown} test-a -- ip -br addr     # through its jump host ovs-a`,
        `  bin/overlay-lab exec ${shown} ovs-a -- ovs-vsctl show`,
        `  ssh -F ${lab.paths.sshConfig} ovs-b                     # plain OpenSSH works too`,
        '',
        `Press Ctrl-C to tear ${editor.server ? 'code-server and ' : ''}the lab down.`,
        '',
      ].join('\n'),
    );
    // Signal listeners alone do not keep Node running; the timer does, until Ctrl-C.
    const keepAlive = setInterval(() => undefined, 60_000);
    await stop;
    clearInterval(keepAlive);
  } finally {
    const editor = await starting.catch(() => undefined);
    if (editor?.server) {
      process.stdout.write('\nStopping code-server...\n');
      await editor.server.stop();
    }
  }
}

type EditorResult = { server: CodeServer; missing?: undefined } | { server?: undefined; missing: string };

/** Packages the extension and starts code-server on the workspace; says what is missing when it cannot. */
async function startEditor(workspace: string, port: number): Promise<EditorResult> {
  process.stdout.write('\nStarting the editor: packaging the extension, then code-server...\n');
  let install;
  try {
    install = ensureCodeServer((line) => process.stdout.write(`  ${line}\n`));
  } catch (error) {
    return { missing: `code-server could not be installed into ${cacheRoot()} (set OVERLAY_LAB_CACHE to use another folder): ${(error as Error).message}` };
  }
  let vsix: string;
  try {
    const started = Date.now();
    vsix = await packageExtension(join(workspace, '..', 'overlay-lab.vsix'));
    process.stdout.write(`  packaged the extension in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    return { missing: `the extension could not be packaged (npm run package): ${(error as Error).message}` };
  }
  try {
    const started = Date.now();
    const server = await startCodeServer({ install, workspace, vsix, port, log: (line) => process.stdout.write(`  ${line}\n`) });
    process.stdout.write(`  code-server ${install.version} serves ${server.url} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return { server };
  } catch (error) {
    return { missing: `code-server did not start: ${(error as Error).message}` };
  }
}

main().catch((error) => {
  process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
