// The lab's tests as the pings to run: each declared test with its ends worked out, and each
// mesh expanded into every ordered pair of the lab's overlay addresses (of one IP family, on two
// different hosts). `--name` and the editor's "run this test" pick from these.

import { hostOwningAddress } from '../lab/resolve';
import { familyOf, overlayAddresses, resolveTestDestination, resolveTestSource, type TestEndpoint } from '../lab/testEndpoints';
import type { Lab, LabTest } from '../lab/types';
import type { LabTestCase } from './types';

const label = (endpoint: TestEndpoint) => `${endpoint.host}:${endpoint.interface}`;

/** A pair's name: `mesh: test-a:eth2 -> test-b:eth2`, with the address when a device holds several. */
export function meshPairName(mesh: string, from: TestEndpoint, to: TestEndpoint, all: readonly TestEndpoint[]): string {
  const name = (e: TestEndpoint) => (all.filter((o) => label(o) === label(e)).length > 1 ? `${label(e)} (${e.address})` : label(e));
  return `${mesh}: ${name(from)} -> ${name(to)}`;
}

function meshCases(lab: Lab, test: LabTest): LabTestCase[] {
  const all = overlayAddresses(lab);
  const cases: LabTestCase[] = [];
  for (const from of all) {
    for (const to of all) {
      if (from.host === to.host || familyOf(from.address) !== familyOf(to.address)) continue;
      cases.push({
        name: meshPairName(test.name, from, to, all),
        declared: test.name,
        group: test.group,
        from,
        to: to.address,
        toHost: to.host,
        expect: test.expect,
        size: test.size,
        count: test.count,
        range: test.range,
      });
    }
  }
  return cases;
}

/** Every test of the lab, in file order, a mesh in place of its pairs. A lab that loaded has valid ends (validateTests). */
export function expandTests(lab: Lab): LabTestCase[] {
  return (lab.tests ?? []).flatMap((test): LabTestCase[] => {
    if (test.mesh) return meshCases(lab, test);
    const source = resolveTestSource(lab, test.from ?? '');
    const destination = resolveTestDestination(lab, test.to ?? '');
    if (!source.ok || !destination.ok) return [];
    return [
      {
        name: test.name,
        declared: test.name,
        group: test.group,
        from: source.endpoint,
        to: destination.address,
        toHost: destination.endpoint?.host ?? hostOwningAddress(lab, destination.address)?.name,
        expect: test.expect,
        size: test.size,
        count: test.count,
        range: test.range,
      },
    ];
  });
}

/**
 * The cases `--name` selects: a test's own name, or a mesh's name for all its pairs, or one pair's
 * full name; `unknown` lists the names that match nothing (the CLI says which names there are).
 */
export function selectTests(cases: readonly LabTestCase[], names: readonly string[]): { cases: LabTestCase[]; unknown: string[] } {
  if (names.length === 0) return { cases: [...cases], unknown: [] };
  const unknown = names.filter((name) => !cases.some((c) => c.name === name || c.declared === name));
  return { cases: cases.filter((c) => names.includes(c.name) || names.includes(c.declared)), unknown };
}
