// What the rest of the product sees of the SSH core.

import type { StrictHostKeyChecking } from '../lab/types';

/** One hop of a route, with everything filled in (lab file, then ~/.ssh/config, then defaults). */
export interface SshEndpoint {
  /** The lab host name, or the `user@host:port` text of a jump that is not a lab host. */
  label: string;
  hostname: string;
  port: number;
  user: string;
  /** Identity files in the order OpenSSH tries them. */
  identityFiles: string[];
  /** Only the identity files, not every key of the agent (`IdentitiesOnly yes`). */
  identitiesOnly: boolean;
  strictHostKeyChecking: StrictHostKeyChecking;
  knownHostsFiles: string[];
  /** Where in known_hosts the key is looked up: `host` or `[host]:port`, as OpenSSH writes it. */
  hostKeyAlias?: string;
  /** The label of the endpoint this one is reached through (ProxyJump), itself in the same table. */
  via?: string;
  connectTimeoutMs: number;
}

/** Asked when an identity file is encrypted; undefined means the user declined. */
export type PassphrasePrompt = (request: { host: string; keyFile: string; attempt: number }) => Promise<string | undefined>;

export interface ExecOptions {
  /** Streamed output; the result also carries the collected text unless `collect` is false. */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Cancels the command: the remote process is ended (its channel closes, with a pty it gets SIGHUP). */
  signal?: AbortSignal;
  /** Run with a pseudo-terminal so the remote process dies with the channel. */
  pty?: boolean;
  /** Text written to the command's stdin, then stdin is closed. */
  stdin?: string | Buffer;
  /** Keep stdout/stderr in the result (default true). */
  collect?: boolean;
  /** Prefix with `sudo -n` (the host's `sudo: true`). */
  sudo?: boolean;
  /** Seconds before the command is stopped as if cancelled. */
  timeoutSeconds?: number;
}

export interface ExecResult {
  /** Exit status; null when the remote process died of a signal or the channel was lost. */
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
  /** Set when the command was cancelled or timed out. */
  cancelled?: 'aborted' | 'timeout';
}
