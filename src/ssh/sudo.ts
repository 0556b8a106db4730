// `sudo -n` in front of a command line, as the host's `sudo: true` asks: one home for it, used
// for plain commands and for the supervisor alike.

/**
 * Where Open vSwitch's tools find its socket, database and files when a host does not keep them
 * in the default places (several OVS instances on one machine, containers): set in the login's
 * environment, so `ovs-vsctl` as the user reaches the host's own OVS.
 */
export const OVS_ENVIRONMENT = ['OVS_RUNDIR', 'OVS_DBDIR', 'OVS_SYSCONFDIR', 'OVS_LOGDIR', 'OVS_PKGDATADIR', 'OVS_BINDIR'] as const;

/**
 * sudo resets the environment, so under `sudo: true` ovs-vsctl would talk to whatever OVS sits
 * at the default socket instead (another instance's, with other bridges and no version), or to
 * none. Each variable the login has set is handed on through `env`, expanded by the login shell
 * (`${V+…}` is empty when V is unset, so a host without them runs plain `sudo -n CMD`).
 */
const KEEP_OVS_ENVIRONMENT = OVS_ENVIRONMENT.map((name) => `\${${name}+env "${name}=$${name}"}`).join(' ');

/** `commandLine` (already quoted) run through `sudo -n`, keeping the login's OVS variables. */
export function withSudo(commandLine: string): string {
  return `sudo -n ${KEEP_OVS_ENVIRONMENT} ${commandLine}`;
}

/**
 * sudo's harmless warnings: on a host whose /etc/hosts lacks its own name (common on cloud
 * images) every sudo prints "unable to resolve host NAME" first, which would hide the line
 * that says why it refused.
 */
const SUDO_NOISE = /^sudo: unable to resolve host |^sudo: .*(?:Name or service not known|Temporary failure in name resolution)/;

/** The first line of `stderr` that is not sudo's harmless warning (the warning itself when it is all there is). */
export function firstMeaningfulLine(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => !SUDO_NOISE.test(line)) ?? lines[0] ?? '';
}

/**
 * When sudo refused to run a command (it wants a password, or the user may not), the message
 * that says so, names the host and the fix; undefined when `stderr` says nothing of the kind.
 */
export function sudoRefusal(host: string, stderr: string): string | undefined {
  const said = firstMeaningfulLine(stderr);
  if (/password is required|a terminal is required|askpass/i.test(said)) {
    return `${host}: reached, but sudo asks for a password (${said}); allow this user passwordless sudo on ${host} (NOPASSWD in sudoers for the commands Overlay Lab runs), or log in as root`;
  }
  if (/not in the sudoers|not allowed to/i.test(said)) {
    return `${host}: reached, but sudo refuses this user (${said}); add it to sudoers on ${host} with NOPASSWD, or log in as root`;
  }
  return undefined;
}
