// Reading the lab file's top level, its segments and its scripts into a draft model: the
// model's shape, with what the file says and nothing worked out yet (resolve.ts does that).

import { isMap, isScalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import { START_OF_FILE } from './diagnostics';
import { EXTENSION_KEY_PREFIX } from './fields';
import { MapReader, namedObjects, type MapEntry, type ReadContext } from './mapReader';
import { labNameProblem } from './names';
import { checkName, readHost } from './readHost';
import { readSsh } from './readSsh';
import { readTests } from './readTests';
import type { Lab, LabScript, LabSegment, SourceRange } from './types';
import { describeNode } from './yamlSource';

/** The draft model of a file, or undefined when the file is not a map at all. */
export function readLab(ctx: ReadContext, file: string): Lab | undefined {
  const root = ctx.source.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    ctx.sink.error(START_OF_FILE, 'the lab file is empty; it needs at least version: 1, a name and hosts');
    return undefined;
  }
  if (!isMap(root)) {
    ctx.sink.error(ctx.source.rangeOf(root), `a lab file is a YAML map with version, name and hosts at the top, not ${describeNode(root)}`);
    return undefined;
  }
  const r = new MapReader(ctx, root, 'lab', 'the lab file', { ignoreKey: (key) => key.startsWith(EXTENSION_KEY_PREFIX) });

  const version = r.entry('version');
  if (!version) ctx.sink.error(START_OF_FILE, 'the lab file has no version; add "version: 1" as its first line');
  else if (!(isScalar(version.node) && version.node.value === 1)) {
    ctx.sink.error(version.range, `version must be 1, the only version of the lab format, not ${describeNode(version.node)}`);
  }

  const name = r.text('name');
  if (!r.entry('name')) ctx.sink.error(START_OF_FILE, 'the lab has no name; add e.g. "name: my-lab" (lowercase letters, digits and "-")');
  if (name) {
    const problem = labNameProblem(name.value);
    if (problem) ctx.sink.error(name.range, `lab name ${JSON.stringify(name.value)} ${problem}`);
  }

  const defaults = r.map('defaults');
  const defaultsReader = defaults ? new MapReader(ctx, defaults.map, 'defaults', 'defaults') : undefined;
  const defaultsSsh = defaultsReader?.map('ssh');
  const { settings: sshDefaults, ranges: sshDefaultRanges } = defaultsSsh
    ? readSsh(ctx, defaultsSsh.map, 'defaults.ssh', true)
    : { settings: {}, ranges: {} };

  const hosts = r.map('hosts');
  if (!hosts) {
    if (!r.entry('hosts')) ctx.sink.error(START_OF_FILE, 'the lab has no hosts; add a hosts: map with at least one host');
  } else if (!hosts.map || hosts.map.items.length === 0) {
    ctx.sink.error(hosts.entry.keyRange, 'hosts is empty; a lab needs at least one host');
  }
  const segments = r.map('segments');
  const scripts = r.map('scripts');
  const tests = r.map('tests');

  return {
    file,
    version: 1,
    name: name?.value ?? '',
    description: r.text('description')?.value,
    defaults: { ssh: sshDefaults, sshRanges: sshDefaultRanges },
    hosts: hosts ? namedObjects(ctx, hosts, 'host').map((o) => readHost(ctx, o.entry, o.map)) : [],
    segments: segments ? namedObjects(ctx, segments, 'segment').map((o) => readSegment(ctx, o.entry, o.map)) : [],
    scripts: scripts ? namedObjects(ctx, scripts, 'script').map((o) => readScript(ctx, o.entry, o.map)) : [],
    tests: tests ? readTests(ctx, tests) : [],
    tunnels: [],
    routes: {},
  };
}

function readSegment(ctx: ReadContext, entry: MapEntry, map: YAMLMap | null): LabSegment {
  const name = entry.key;
  checkName(ctx, 'segment', name, entry.keyRange);
  const r = new MapReader(ctx, map, 'segment', `segment ${name}`);
  const members: LabSegment['members'] = [];
  const list = r.list('members');
  for (const item of list?.items ?? []) {
    const text = ctx.text(item, 'a segment member');
    if (!text) continue;
    // Interface names cannot hold ":", so the first ":" splits host from interface.
    const colon = text.value.indexOf(':');
    if (colon < 0) {
      ctx.sink.error(text.range, `segment member ${JSON.stringify(text.value)} must be host:interface, e.g. ovs-dfw:eth2`);
      continue;
    }
    const member = { host: text.value.slice(0, colon), interface: text.value.slice(colon + 1), range: text.range };
    checkName(ctx, 'host', member.host, text.range);
    checkName(ctx, 'interface', member.interface, text.range);
    members.push(member);
  }
  const underlay = r.boolean('underlay');
  const note = r.text('note');
  return {
    name,
    members,
    underlay: underlay?.value ?? false,
    note: note?.value,
    range: entry.keyRange,
    fieldRanges: { members: list?.entry.range, underlay: underlay?.range, note: note?.range },
  };
}

function readScript(ctx: ReadContext, entry: MapEntry, map: YAMLMap | null): LabScript {
  const name = entry.key;
  checkName(ctx, 'script', name, entry.keyRange);
  const r = new MapReader(ctx, map, 'script', `script ${name}`);
  const hosts: string[] = [];
  const hostRanges: SourceRange[] = [];
  const list = r.list('hosts');
  for (const item of list?.items ?? []) {
    const host = ctx.text(item, 'a script host');
    if (!host) continue;
    checkName(ctx, 'host', host.value, host.range);
    hosts.push(host.value);
    hostRanges.push(host.range);
  }
  const run = r.text('run');
  if (!r.entry('run')) ctx.sink.error(entry.keyRange, `script ${name} has no run; add run: with the shell text to execute on each host`);
  else if (run && run.value.trim() === '') ctx.sink.error(run.range, `run of script ${name} is empty; give the shell text to execute`);
  const description = r.text('description');
  const sudo = r.boolean('sudo');
  const timeout = r.positiveNumber('timeout', 'seconds');
  return {
    name,
    description: description?.value,
    hosts,
    run: run?.value ?? '',
    sudo: sudo?.value,
    timeoutSeconds: timeout?.value,
    range: entry.keyRange,
    hostRanges,
    fieldRanges: {
      description: description?.range,
      hosts: list?.entry.range,
      run: run?.range,
      sudo: sudo?.range,
      timeout: timeout?.range,
    },
  };
}
