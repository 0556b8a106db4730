// Reading `tests:`: what must reach what. Only what one value says on its own is checked here
// (types, patterns, bounds, which keys go together); whether the hosts and interfaces exist is
// for validateTests.ts, on the resolved model.

import type { YAMLMap } from 'yaml';
import { parseIp } from './addresses';
import { LIMITS, TEST_EXPECTATIONS } from './fields';
import { MapReader, namedObjects, type Located, type MapEntry, type ReadContext } from './mapReader';
import { nameProblem, testNameProblem } from './names';
import type { LabTest } from './types';

export function readTests(ctx: ReadContext, at: { map: YAMLMap | null }): LabTest[] {
  return namedObjects(ctx, at, 'test').map((o) => readTest(ctx, o.entry, o.map));
}

/** `host` or `host:interface`, each part held to its name pattern; for `to`, an IP address too. */
function checkEndpoint(ctx: ReadContext, key: 'from' | 'to', written: Located<string>): void {
  const text = written.value;
  if (key === 'to' && parseIp(text)) return;
  if (key === 'to' && text.includes('/') && parseIp(text.slice(0, text.indexOf('/')))) {
    ctx.sink.error(written.range, `to ${JSON.stringify(text)} has a prefix length; write the address alone: ${text.slice(0, text.indexOf('/'))}`);
    return;
  }
  // Host and interface names cannot hold ":", so the first ":" splits them (an IPv6 address was taken above).
  const colon = text.indexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  const iface = colon < 0 ? undefined : text.slice(colon + 1);
  const what = key === 'from' ? 'a host or host:interface, e.g. test-a or test-a:eth2' : 'a host, host:interface or an IP address';
  const hostProblem = nameProblem('host', host);
  if (hostProblem) {
    ctx.sink.error(written.range, `${key} ${JSON.stringify(text)} must be ${what}; host ${JSON.stringify(host)} ${hostProblem}`);
    return;
  }
  const ifaceProblem = iface !== undefined ? nameProblem('interface', iface) : undefined;
  if (ifaceProblem) ctx.sink.error(written.range, `${key} ${JSON.stringify(text)}: interface ${JSON.stringify(iface)} ${ifaceProblem}`);
}

function readTest(ctx: ReadContext, entry: MapEntry, map: YAMLMap | null): LabTest {
  const name = entry.key;
  const problem = testNameProblem(name);
  if (problem) ctx.sink.error(entry.keyRange, `test name ${JSON.stringify(name)} ${problem}`);
  const r = new MapReader(ctx, map, 'test', `test ${name}`);
  const from = r.text('from');
  const to = r.text('to');
  const expect = r.choice('expect', TEST_EXPECTATIONS);
  const size = r.integer('size', LIMITS.testSize);
  const count = r.integer('count', LIMITS.testCount);
  const mesh = r.boolean('mesh');
  const group = r.text('group');
  if (from) checkEndpoint(ctx, 'from', from);
  if (to) checkEndpoint(ctx, 'to', to);
  if (group) {
    const groupProblem = testNameProblem(group.value);
    if (groupProblem) ctx.sink.error(group.range, `group ${JSON.stringify(group.value)} ${groupProblem}`);
  }
  if (mesh?.value) {
    for (const key of ['from', 'to'] as const) {
      const written = r.entry(key);
      if (written) ctx.sink.error(written.keyRange, `test ${name} is a mesh (every pair of overlay addresses); it takes no ${key}. Remove ${key}, or mesh: true to test one pair`);
    }
  } else {
    const missing = (['from', 'to'] as const).filter((key) => !r.entry(key));
    if (missing.length) {
      ctx.sink.error(entry.keyRange, `test ${name} has no ${missing.join(' and no ')}; give from: (host or host:interface) and to: (host, host:interface or an address), or mesh: true`);
    }
  }
  return {
    name,
    from: from?.value,
    to: to?.value,
    expect: expect?.value ?? 'reach',
    size: size?.value,
    count: count?.value ?? 1,
    mesh: mesh?.value ?? false,
    group: group?.value,
    range: entry.keyRange,
    fieldRanges: {
      from: from?.range,
      to: to?.range,
      expect: expect?.range,
      size: size?.range,
      count: count?.range,
      mesh: mesh?.range,
      group: group?.range,
    },
  };
}
