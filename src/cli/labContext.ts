// What every CLI command that touches hosts shares: the lab read and checked (a lab with errors
// never reaches a host), and one connection pool built with the command line's SSH options.

import { formatDiagnostic, loadLabFile } from '../lab/load';
import type { Lab } from '../lab/types';
import { EndpointTable } from '../ssh/endpoints';
import { SshPool } from '../ssh/pool';
import { SshConfigReader } from '../ssh/sshConfig';
import { EXIT_NOT_AS_ASKED, UsageError } from './exitCodes';
import { terminalPassphrasePrompt } from './passphrasePrompt';

export interface SshCliOptions {
  acceptNewHostKeys?: boolean;
  knownHosts?: string;
  connectTimeout?: string;
}

export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Reads the lab; prints its diagnostics; stops with exit 1 when it has errors. */
export async function loadLabOrExit(file: string): Promise<Lab> {
  const result = await loadLabFile(file);
  for (const diagnostic of result.diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (!result.lab) {
    process.stderr.write(`${file}: the lab has errors; nothing was run.\n`);
    throw new CliExit(EXIT_NOT_AS_ASKED);
  }
  return result.lab;
}

export function requireHost(lab: Lab, host: string): void {
  if (!lab.hosts.some((candidate) => candidate.name === host)) {
    throw new UsageError(`unknown host "${host}"; the lab's hosts are: ${lab.hosts.map((h) => h.name).join(', ')}`);
  }
}

export function createPool(lab: Lab, options: SshCliOptions): SshPool {
  const timeout = options.connectTimeout !== undefined ? Number(options.connectTimeout) : undefined;
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--connect-timeout takes a number of seconds, not "${options.connectTimeout}"`);
  const endpoints = new EndpointTable(lab, new SshConfigReader(), {
    acceptNewHostKeys: options.acceptNewHostKeys,
    knownHostsFile: options.knownHosts,
    connectTimeoutMs: timeout !== undefined ? timeout * 1000 : undefined,
  });
  return new SshPool(endpoints, {
    agentSocket: process.env.SSH_AUTH_SOCK,
    prompt: terminalPassphrasePrompt(),
    onNotice: (_host, message) => process.stderr.write(`${message}\n`),
  });
}
