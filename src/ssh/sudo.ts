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
