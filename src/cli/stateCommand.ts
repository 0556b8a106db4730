// `overlay-lab state LAB [--host H] [--json]`: what is really on each host, and its drift
// against the lab file, read by the same code as the editor's tree.
// Exit 0 when every host answered and nothing drifted; 1 otherwise (cli.md).

import { withDrift } from '../compare/drift';
import { readLabState } from '../hosts/readLabState';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';
import { renderLabStateText } from './stateText';

export interface StateOptions extends SshCliOptions {
  host?: string;
  json?: boolean;
}

export async function stateCommand(labFile: string, options: StateOptions): Promise<number> {
  const lab = await loadLabOrExit(labFile);
  if (options.host) requireHost(lab, options.host);
  const pool = createPool(lab, options);
  try {
    const state = withDrift(lab, await withCancellation((signal) => readLabState(pool, lab, { signal, hosts: options.host ? [options.host] : undefined })));
    process.stdout.write(options.json ? `${JSON.stringify(state, null, 2)}\n` : renderLabStateText(lab, state));
    const failed = Object.values(state.hosts).some((reading) => !reading.ok);
    return failed || state.drift.length > 0 ? EXIT_NOT_AS_ASKED : EXIT_OK;
  } finally {
    pool.dispose();
  }
}
