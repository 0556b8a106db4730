// `overlay-lab run LAB SCRIPT [--host H]`: a script of the lab on its hosts at once, each line
// prefixed by its host; the exit status is the worst host's (cli.md). Ctrl-C stops it on every host.

import { findScript, runLabScript, scriptTargets, worstStatus } from '../scripts/runLabScript';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';

export interface RunOptions extends SshCliOptions {
  host?: string;
}

const COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];

export async function runCommand(labFile: string, scriptName: string, options: RunOptions): Promise<number> {
  const lab = await loadLabOrExit(labFile);
  const script = findScript(lab, scriptName);
  if (!script) throw new UsageError(`the lab has no script "${scriptName}"; its scripts are: ${lab.scripts.map((s) => s.name).join(', ') || 'none'}`);
  if (options.host) {
    requireHost(lab, options.host);
    if (!script.hosts.includes(options.host)) throw new UsageError(`script ${scriptName} does not run on ${options.host}; it runs on: ${script.hosts.join(', ')}`);
  }
  const hosts = scriptTargets(script, options.host ? [options.host] : undefined);
  const width = Math.max(...hosts.map((host) => host.length));
  const colour = process.stdout.isTTY && !process.env.NO_COLOR;
  const prefix = (host: string) => {
    const label = `${host.padEnd(width)} |`;
    return colour ? `\u001b[${COLOURS[hosts.indexOf(host) % COLOURS.length]}m${label}\u001b[0m` : label;
  };

  const pool = createPool(lab, options);
  try {
    const result = await withCancellation((signal) => runLabScript(pool, lab, scriptName, {
      hosts,
      signal,
      onLine: (host, stream, line) => (stream === 'stdout' ? process.stdout : process.stderr).write(`${prefix(host)} ${line}\n`),
      onHostDone: (done) => {
        if (done.status !== 'ok') process.stderr.write(`${prefix(done.host)} ${done.message}\n`);
      },
    }));
    const ok = result.hosts.filter((host) => host.status === 'ok').length;
    process.stderr.write(`${scriptName}: ${ok}/${result.hosts.length} hosts succeeded\n`);
    return worstStatus(result.hosts) === 'ok' ? EXIT_OK : EXIT_NOT_AS_ASKED;
  } finally {
    pool.dispose();
  }
}
