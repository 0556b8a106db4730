// The strict patterns every name and SSH value of a lab file must match. They are the first
// line of defence of architecture rule 4: whatever passes here is safe as one shell word
// (commands are still quoted by util/shell.ts), cannot be read as an option by ssh, ip or
// ovs-vsctl (no leading "-"), and is something Linux and OpenSSH accept.
// The JSON Schema (schemas/lab.schema.json) repeats these patterns; a unit test keeps them equal.

import { parseIp, parseIpv6 } from './addresses';

/** The lab's own name. */
export const LAB_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
/** Names of hosts, and of segments and scripts, which are named the same way. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/**
 * Interface, bridge and port names. Linux takes up to 15 bytes (IFNAMSIZ - 1) and refuses "/",
 * ":" and whitespace; ":" is also what separates host from interface in a segment member.
 */
export const INTERFACE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
export const INTERFACE_NAME_MAX = 15;
/** `ssh.host` when it is not an IPv6 address: an IPv4 address, a DNS name or a ~/.ssh/config alias. */
export const SSH_HOST_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/;
/** A login name as Linux accepts it (32 bytes at most), minus what a shell or ssh could misread. */
export const SSH_USER_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;
/** Paths (identity file, known hosts file): any printable text that does not start with "-". */
export const PATH_PATTERN = /^[^\x00-\x1f\x7f-][^\x00-\x1f\x7f]*$/;

const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

export type NamedThing = 'interface' | 'bridge' | 'port' | 'host' | 'segment' | 'script';

/** Why `name` is not acceptable for a `thing`, as the end of a sentence; undefined when it is fine. */
export function nameProblem(thing: NamedThing, name: string): string | undefined {
  if (thing === 'interface' || thing === 'bridge' || thing === 'port') {
    if (INTERFACE_NAME_PATTERN.test(name)) return undefined;
    if (name.length > INTERFACE_NAME_MAX && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      return `is ${name.length} characters long; Linux allows at most ${INTERFACE_NAME_MAX} (IFNAMSIZ)`;
    }
    return `is not allowed: use up to ${INTERFACE_NAME_MAX} letters, digits, "_", "." and "-", starting with a letter or digit`;
  }
  if (HOST_NAME_PATTERN.test(name)) return undefined;
  return 'is not allowed: use letters, digits, "_", "." and "-", starting with a letter or digit';
}

export function labNameProblem(name: string): string | undefined {
  if (LAB_NAME_PATTERN.test(name)) return undefined;
  return 'is not allowed: use lowercase letters, digits and "-", starting with a letter or digit';
}

function leadingDashProblem(value: string): string | undefined {
  return value.startsWith('-') ? 'must not start with "-" (ssh would read it as an option)' : undefined;
}

/** `ssh.host`: an IP address, a DNS name or a ~/.ssh/config alias. */
export function sshHostProblem(host: string): string | undefined {
  if (parseIp(host)) return undefined;
  if (SSH_HOST_PATTERN.test(host) && !/^[0-9.]+$/.test(host)) return undefined;
  if (/^[0-9.]+$/.test(host)) return 'is not a valid IPv4 address';
  return (
    leadingDashProblem(host) ??
    'is not a safe SSH host: write an IP address, a DNS name or a ~/.ssh/config alias (letters, digits, "_", "." and "-")'
  );
}

export function sshUserProblem(user: string): string | undefined {
  if (SSH_USER_PATTERN.test(user)) return undefined;
  return (
    leadingDashProblem(user) ??
    'is not a safe user name: use up to 32 letters, digits, "_", "." and "-", starting with a letter, digit or "_"'
  );
}

/** `identityFile` and `knownHostsFile`. Spaces are fine (the path is quoted); control characters are not. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (CONTROL_CHARACTER.test(path)) return 'contains a control character';
  return leadingDashProblem(path);
}

/** A jump that is not a host of the lab: `[user@]host[:port]`, with an IPv6 host in brackets. */
export interface ExternalJump {
  user?: string;
  host: string;
  port?: number;
}

export type JumpSyntax =
  | { kind: 'name'; name: string }
  | { kind: 'external'; jump: ExternalJump }
  | { kind: 'invalid'; problem: string };

/**
 * Read the syntax of a `jump` value. A bare name is a host of the lab (whether it is one is
 * known only once every host is read); anything with "@" or ":" is a machine outside the lab.
 */
export function parseJump(text: string): JumpSyntax {
  if (text.includes(',')) {
    return { kind: 'invalid', problem: 'lists several jumps; give one, and chain jumps by giving the jump host its own ssh.jump' };
  }
  if (!text.includes('@') && !text.includes(':')) {
    if (HOST_NAME_PATTERN.test(text)) return { kind: 'name', name: text };
    return {
      kind: 'invalid',
      problem: leadingDashProblem(text) ?? 'is neither a host of the lab nor [user@]host[:port]',
    };
  }
  let rest = text;
  let user: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const problem = sshUserProblem(user);
    if (problem) return { kind: 'invalid', problem: `has a user "${user}" that ${problem}` };
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return { kind: 'invalid', problem: 'has a "[" with no closing "]"' };
    host = rest.slice(1, close);
    if (!parseIpv6(host)) return { kind: 'invalid', problem: `has "[${host}]", which is not an IPv6 address` };
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return { kind: 'invalid', problem: 'has text after "]" that is not ":port"' };
    if (after !== '') portText = after.slice(1);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) return { kind: 'invalid', problem: 'has an IPv6 host that is not in brackets: write [2001:db8::1]:22' };
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    if (colon >= 0) portText = rest.slice(colon + 1);
    const problem = host === '' ? 'is empty' : sshHostProblem(host);
    if (problem) return { kind: 'invalid', problem: `has a host "${host}" that ${problem}` };
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return { kind: 'invalid', problem: `has a port "${portText}" that is not a number from 1 to 65535` };
  }
  return { kind: 'external', jump: { user, host, port } };
}

export type RemoteSyntax = { kind: 'ip' } | { kind: 'name' } | { kind: 'invalid'; problem: string };

/** A tunnel's `remote`: an IP address, or a name (whether a host of the lab has it is checked later). */
export function parseRemote(remote: string): RemoteSyntax {
  if (parseIp(remote)) return { kind: 'ip' };
  const slash = remote.indexOf('/');
  if (slash >= 0 && parseIp(remote.slice(0, slash))) {
    return { kind: 'invalid', problem: `is an address with a prefix length; write the address alone: ${remote.slice(0, slash)}` };
  }
  if (/^[0-9.]+$/.test(remote)) return { kind: 'invalid', problem: 'is not a valid IPv4 address' };
  if (remote.includes(':')) return { kind: 'invalid', problem: 'is not a valid IPv6 address' };
  if (!HOST_NAME_PATTERN.test(remote)) return { kind: 'invalid', problem: 'is neither a host name of the lab nor an IP address' };
  return { kind: 'name' };
}

/** Test and test group names (`tests:`), as the lab's own name: they become JUnit and CLI names. */
export const TEST_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function testNameProblem(name: string): string | undefined {
  if (TEST_NAME_PATTERN.test(name)) return undefined;
  return 'is not allowed: use lowercase letters, digits and "-", starting with a letter or digit';
}
