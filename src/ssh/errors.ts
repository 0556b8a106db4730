// Every SSH failure a user meets gets its own kind and a message that names the host and says what to do.

export type SshErrorKind =
  | 'name-not-resolved'
  | 'connection-refused'
  | 'timeout'
  | 'unreachable'
  | 'authentication'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'key-file'
  | 'passphrase'
  | 'jump'
  | 'connection-lost'
  | 'channel'
  | 'config';

/**
 * Failures that mean the host was not reached or not logged into: every SSH error kind but a
 * refused channel. Anything else (a probe that failed, sudo that wants a password, a timeout
 * once connected) comes from a host that answered.
 */
const NOT_REACHED: ReadonlySet<string> = new Set<SshErrorKind>([
  'name-not-resolved',
  'connection-refused',
  'timeout',
  'unreachable',
  'authentication',
  'host-key-unknown',
  'host-key-changed',
  'host-key-revoked',
  'key-file',
  'passphrase',
  'jump',
  'connection-lost',
  'config',
]);

/** Whether a failure of this kind means the host was never reached (or logged into). */
export function isNotReached(kind: string): boolean {
  return NOT_REACHED.has(kind);
}

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    /** The lab host (or jump label) the error is about. */
    readonly host: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

interface Where {
  host: string;
  hostname: string;
  port: number;
  user: string;
  timeoutMs: number;
}

/** Turns a socket or ssh2 error into the message a user can act on. */
export function describeConnectError(error: unknown, where: Where): SshError {
  if (error instanceof SshError) return error;
  const err = error as NodeJS.ErrnoException & { level?: string };
  const target = `${where.hostname}:${where.port}`;
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new SshError('name-not-resolved', where.host, `${where.host}: cannot resolve host name "${where.hostname}". Check ssh.host in the lab file or HostName in ~/.ssh/config.`, error);
    case 'ECONNREFUSED':
      return new SshError('connection-refused', where.host, `${where.host}: connection refused by ${target}. Is sshd running there and listening on port ${where.port}?`, error);
    case 'ETIMEDOUT':
      return timeoutError(where);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new SshError('unreachable', where.host, `${where.host}: no route to ${target} (${err.code}). Is the host up, and is its address right?`, error);
    case 'ECONNRESET':
    case 'EPIPE':
      return new SshError('connection-lost', where.host, `${where.host}: connection to ${target} was reset during the SSH handshake. Is it an SSH server, and does it allow this client (MaxStartups, firewall)?`, error);
  }
  if (/Connection lost before handshake/i.test(err.message ?? '')) {
    return new SshError('connection-lost', where.host, `${where.host}: ${target} closed the connection before the SSH handshake. Is an SSH server listening there, and does it accept this client (MaxStartups, TCP wrappers, a firewall)?`, error);
  }
  if (err.level === 'client-timeout' || /Timed out while waiting for handshake/i.test(err.message ?? '')) return timeoutError(where);
  if (err.level === 'client-authentication') {
    return new SshError('authentication', where.host, `${where.host}: authentication refused for ${where.user}@${target}. Add your public key to the host's authorized_keys, load it into ssh-agent, or set ssh.identityFile in the lab file.`, error);
  }
  return new SshError('connection-lost', where.host, `${where.host}: SSH connection to ${target} failed: ${err.message ?? String(error)}`, error);
}

export function timeoutError(where: Where): SshError {
  return new SshError('timeout', where.host, `${where.host}: timed out after ${Math.round(where.timeoutMs / 1000)} s connecting to ${where.hostname}:${where.port}. The host is down, or a firewall drops SSH.`);
}
