// What the probe's OVS sections say together: is Open vSwitch installed, do its two daemons run,
// did its database answer? Each case that is not "running" gets one plain sentence that names
// the host and says what to do, for the tree, the CLI and drift alike.

import { OVSDB_TIMEOUT_SECONDS } from './probeScript';
import { failureText, succeeded, type ProbeSection } from './probeSections';
import type { OvsDaemon, OvsStatus } from './types';

export interface OvsSections {
  vsctlPath?: ProbeSection;
  confDb?: ProbeSection;
  ovsdbServer?: ProbeSection;
  vswitchd?: ProbeSection;
  ovsdb?: ProbeSection;
  vsctlVersion?: ProbeSection;
}

export interface OvsFacts {
  host: string;
  sections: OvsSections;
  /** Versions from the database, when it answered and its output parsed. */
  database?: { ovsVersion?: string; dbVersion?: string };
  /** Why the database's output could not be parsed, when it answered with something odd. */
  databaseProblem?: string;
  /** The systemd unit to suggest, e.g. `openvswitch-switch`. */
  service: string;
}

export function ovsStatusOf(facts: OvsFacts): OvsStatus {
  const { host, sections, service } = facts;
  const serverUp = succeeded(sections.ovsdbServer);
  const switchUp = succeeded(sections.vswitchd);
  const version = facts.database?.ovsVersion ?? toolVersion(sections.vsctlVersion);

  if (!succeeded(sections.vsctlPath)) {
    if (sections.vsctlPath === undefined) return { state: 'unreadable', message: `the state probe of ${host} stopped before it reached Open vSwitch` };
    if (serverUp || switchUp) {
      return {
        state: 'unreadable',
        message: `Open vSwitch runs on ${host} (${runningList(serverUp, switchUp)}), but ovs-vsctl is not on the PATH, so its bridges cannot be read`,
      };
    }
    return { state: 'missing', message: `Open vSwitch is not installed on ${host}` };
  }

  if (facts.database) {
    if (switchUp) return { state: 'running', version, dbVersion: facts.database.dbVersion };
    return {
      state: 'stopped',
      stopped: ['ovs-vswitchd'],
      version,
      dbVersion: facts.database.dbVersion,
      message: `ovs-vswitchd is not running on ${host}: bridges are configured but forward nothing; start it with systemctl start ${service}`,
    };
  }

  if (facts.databaseProblem !== undefined) {
    return { state: 'unreadable', version, message: `the Open vSwitch database of ${host} answered with something unexpected (${facts.databaseProblem})` };
  }

  const why = failureText(sections.ovsdb);
  if (/permission denied/i.test(why)) {
    return {
      state: 'unreadable',
      version,
      message: `ovs-vsctl may not read the Open vSwitch database on ${host} (permission denied); set sudo: true for ${host} in the lab file`,
    };
  }
  if (/timeout|timed out/i.test(why) && serverUp) {
    return { state: 'unreadable', version, message: `the Open vSwitch database on ${host} did not answer within ${OVSDB_TIMEOUT_SECONDS} s` };
  }
  if (!serverUp) {
    const stopped: OvsDaemon[] = switchUp ? ['ovsdb-server'] : ['ovsdb-server', 'ovs-vswitchd'];
    const neverRan = sections.confDb !== undefined && !succeeded(sections.confDb);
    const message = switchUp
      ? `ovsdb-server is not running on ${host}, so its bridges cannot be read (ovs-vswitchd keeps forwarding as last configured); restart Open vSwitch with systemctl restart ${service}`
      : neverRan
        ? `Open vSwitch is installed on ${host} but has never run there (no database, no daemon); start it with systemctl start ${service}`
        : `Open vSwitch is installed on ${host} but not running (neither ovsdb-server nor ovs-vswitchd); start it with systemctl start ${service}`;
    return { state: 'stopped', stopped, version, message };
  }
  return { state: 'unreadable', version, message: `ovs-vsctl could not read the Open vSwitch database on ${host}: ${why}` };
}

function runningList(serverUp: boolean, switchUp: boolean): string {
  return [serverUp && 'ovsdb-server', switchUp && 'ovs-vswitchd'].filter(Boolean).join(' and ') + ' running';
}

/** `ovs-vsctl (Open vSwitch) 3.1.0` → `3.1.0`. */
function toolVersion(section: ProbeSection | undefined): string | undefined {
  if (!succeeded(section)) return undefined;
  return /\(Open vSwitch\)\s+(\S+)/.exec(section.stdout)?.[1];
}
