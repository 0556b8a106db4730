// Names that point at hosts and interfaces from elsewhere in the file: segment members and
// script targets.

import { lineOf, type DiagnosticSink } from './diagnostics';
import { nameProblem } from './names';
import { findHost, portsOf } from './resolve';
import { didYouMean } from './suggest';
import type { Lab, LabHost, LabSegment } from './types';

export function validateReferences(lab: Lab, sink: DiagnosticSink): void {
  validateSegments(lab, sink);
  validateScriptHosts(lab, sink);
}

/** Every name a host gives a device: interfaces, bridges and bridge ports. */
function deviceNames(host: LabHost): Set<string> {
  return new Set([...host.interfaces.map((i) => i.name), ...host.bridges.map((b) => b.name), ...portsOf(host).map(({ port }) => port.name)]);
}

function validateSegments(lab: Lab, sink: DiagnosticSink): void {
  const hostNames = lab.hosts.map((h) => h.name);
  const segmentOf = new Map<string, { segment: LabSegment; member: LabSegment['members'][number] }>();
  for (const segment of lab.segments) {
    for (const member of segment.members) {
      const at = member.range ?? segment.range;
      // A name that breaks its pattern is reported where it was read; it names nothing.
      if (nameProblem('host', member.host) || nameProblem('interface', member.interface)) continue;
      const host = findHost(lab, member.host);
      const label = `${member.host}:${member.interface}`;
      if (!host) {
        sink.error(at, `segment ${segment.name} names host ${member.host}, which is not a host of the lab${didYouMean(member.host, hostNames)}`);
        continue;
      }
      const devices = deviceNames(host);
      if (!devices.has(member.interface)) {
        sink.warning(
          at,
          `${host.name} declares no interface ${member.interface}${didYouMean(member.interface, devices)}; add it under hosts.${host.name}.interfaces so the lab knows it`,
        );
      }
      const earlier = segmentOf.get(label);
      if (!earlier) {
        segmentOf.set(label, { segment, member });
      } else if (earlier.segment === segment) {
        sink.error(at, `${label} is listed twice in segment ${segment.name} (first at ${lineOf(earlier.member.range ?? earlier.segment.range)}); list it once`);
      } else {
        sink.warning(
          at,
          `${label} is already a member of segment ${earlier.segment.name} (${lineOf(earlier.member.range ?? earlier.segment.range)}); an interface sits on one L2 network, so merge the two segments or fix the member`,
        );
      }
    }
  }
}

function validateScriptHosts(lab: Lab, sink: DiagnosticSink): void {
  const hostNames = lab.hosts.map((h) => h.name);
  for (const script of lab.scripts) {
    if (script.fieldRanges?.hosts && script.hosts.length === 0) {
      sink.warning(script.fieldRanges?.hosts, `hosts of script ${script.name} is empty, so it runs nowhere; remove hosts to run it on every host`);
    }
    const seen = new Set<string>();
    script.hosts.forEach((name, i) => {
      const at = script.hostRanges?.[i] ?? script.range;
      if (nameProblem('host', name)) return; // reported where it was read
      if (!findHost(lab, name)) {
        sink.error(at, `script ${script.name} names host ${name}, which is not a host of the lab${didYouMean(name, hostNames)}`);
      } else if (seen.has(name)) {
        sink.warning(at, `host ${name} is listed twice for script ${script.name}; it runs there once`);
      }
      seen.add(name);
    });
  }
}
