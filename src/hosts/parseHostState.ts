// The probe's whole output into a HostState. Never throws: what could not be read becomes a
// plain sentence in `notes`, and the rest of the state is still filled in.

import { IpJsonError, parseIpLinks } from './ipLinks';
import { openvswitchService, parseOsRelease } from './osRelease';
import { OvsdbFormatError } from './ovsdbJson';
import { parseOvsDatabase, type OvsDatabase } from './ovsDatabase';
import { ovsStatusOf } from './ovsStatus';
import { failureText, splitProbeOutput, succeeded, type ProbeSection } from './probeSections';
import type { HostState, LinkState } from './types';

export interface ProbeRun {
  host: string;
  /** The probe's stdout, exactly. */
  stdout: string;
  /** When it was read (ISO time); default now. */
  readAt?: string;
  elapsedMs?: number;
  /**
   * Whether the lab puts OVS bridges on this host. When it does not, an Open vSwitch that is
   * missing, stopped or unreadable is no note (nothing to start there; `ovs` still says what was
   * found). Left out (read without a lab): noted.
   */
  needsOvs?: boolean;
}

export function parseHostState(run: ProbeRun): HostState {
  const { host } = run;
  const { sections } = splitProbeOutput(run.stdout);
  const notes: string[] = [];
  const firstLine = (section: ProbeSection | undefined) => (succeeded(section) ? section.stdout.trim().split('\n')[0] || undefined : undefined);

  const osRelease = parseOsRelease(succeeded(sections.get('os_release')) ? sections.get('os_release')!.stdout : '');

  let database: OvsDatabase | undefined;
  let databaseProblem: string | undefined;
  const ovsdb = sections.get('ovsdb');
  if (succeeded(ovsdb)) {
    try {
      database = parseOvsDatabase(ovsdb.stdout);
    } catch (error) {
      if (!(error instanceof OvsdbFormatError)) throw error;
      databaseProblem = error.message;
    }
  }
  const ovs = ovsStatusOf({
    host,
    sections: {
      vsctlPath: sections.get('ovs_vsctl_path'),
      confDb: sections.get('ovs_conf_db'),
      ovsdbServer: sections.get('ovsdb_server'),
      vswitchd: sections.get('ovs_vswitchd'),
      ovsdb,
      vsctlVersion: sections.get('ovs_vsctl_version'),
    },
    database,
    databaseProblem,
    service: openvswitchService(osRelease),
  });
  if (ovs.state !== 'running' && run.needsOvs !== false) notes.push(ovs.message);

  const links = readLinks(host, sections.get('ip_link'), sections.get('ip_addr'), notes);

  return {
    host,
    readAt: run.readAt ?? new Date().toISOString(),
    elapsedMs: run.elapsedMs ?? 0,
    system: {
      kernel: firstLine(sections.get('kernel')),
      distribution: osRelease.prettyName,
      hostname: firstLine(sections.get('hostname')),
    },
    ovs,
    bridgesKnown: database !== undefined,
    bridges: database?.bridges ?? [],
    linksKnown: links !== undefined,
    links: links ?? [],
    notes,
  };
}

function readLinks(host: string, link: ProbeSection | undefined, addr: ProbeSection | undefined, notes: string[]): LinkState[] | undefined {
  if (!succeeded(link)) {
    const why = failureText(link);
    if (/unknown|usage/i.test(why) && /-j|json/i.test(why + (link?.stderr ?? ''))) {
      notes.push(`the ip command on ${host} is too old to print JSON (ip -j); its interfaces cannot be read (iproute2 4.13 or later is needed)`);
    } else if (/not found/i.test(why)) {
      notes.push(`ip (iproute2) is not installed on ${host}, so its interfaces cannot be read`);
    } else {
      notes.push(`the interfaces of ${host} could not be read: ${why}`);
    }
    return undefined;
  }
  let links: LinkState[];
  try {
    links = parseIpLinks(link.stdout, succeeded(addr) ? addr.stdout : undefined);
  } catch (error) {
    if (!(error instanceof IpJsonError)) throw error;
    notes.push(`the interfaces of ${host} could not be read: ip -j printed something unexpected (${error.message})`);
    return undefined;
  }
  if (!succeeded(addr)) notes.push(`the addresses of ${host} could not be read: ${failureText(addr)}`);
  return links;
}
