// The Testing view's tree for one lab file, as plain data: the lab, its groups, each declared
// test (a mesh with one child per pair), and the doctor. Ids are stable across edits, so VS Code
// keeps a test's last result while the file changes around it; `signature` changes exactly when
// what the test sends changes, so that result can be marked out of date. Pure: the controller
// (labTestController.ts) turns these into TestItems.

import { expandTests } from '../../labtests/expand';
import type { LabTestCase } from '../../labtests/types';
import type { Lab, SourceRange } from '../../lab/types';

export interface TestNode {
  id: string;
  label: string;
  description?: string;
  range?: SourceRange;
  /** For a leaf: the case it runs, or 'doctor'. */
  runs?: LabTestCase | 'doctor';
  /** What the test sends; a change means its last result no longer says anything. */
  signature?: string;
  children: TestNode[];
}

export const DOCTOR_TEST = 'doctor';

export function testNodeId(labKey: string, name: string): string {
  return `${labKey}::${name}`;
}

const describeCase = (c: LabTestCase) =>
  `${c.from.host}:${c.from.interface} → ${c.to}${c.expect === 'isolated' ? ', isolated' : ''}${c.size !== undefined ? `, ${c.size} bytes DF` : ''}${c.count > 1 ? `, ${c.count} pings` : ''}`;

const signatureOf = (c: LabTestCase) => JSON.stringify([c.from, c.to, c.expect, c.size, c.count]);

function leaf(labKey: string, c: LabTestCase, label = c.name): TestNode {
  return { id: testNodeId(labKey, c.name), label, description: describeCase(c), range: c.range, runs: c, signature: signatureOf(c), children: [] };
}

/** The children of a lab's item: its tests (grouped where the file groups them), then the doctor. */
export function labTestNodes(labKey: string, lab: Lab): TestNode[] {
  const cases = expandTests(lab);
  const top: TestNode[] = [];
  const groups = new Map<string, TestNode>();
  const parentFor = (group: string | undefined, range: SourceRange): TestNode[] => {
    if (!group) return top;
    let node = groups.get(group);
    if (!node) {
      node = { id: testNodeId(labKey, `group:${group}`), label: group, range, children: [] };
      groups.set(group, node);
      top.push(node);
    }
    return node.children;
  };
  for (const test of lab.tests ?? []) {
    const mine = cases.filter((c) => c.declared === test.name);
    const parent = parentFor(test.group, test.range);
    if (!test.mesh) {
      if (mine[0]) parent.push(leaf(labKey, mine[0]));
      continue;
    }
    parent.push({
      id: testNodeId(labKey, test.name),
      label: test.name,
      description: `mesh: ${mine.length} pairs${test.expect === 'isolated' ? ', isolated' : ''}${test.size !== undefined ? `, ${test.size} bytes DF` : ''}`,
      range: test.range,
      children: mine.map((c) => leaf(labKey, c, c.name.slice(test.name.length + 2))),
    });
  }
  top.push({ id: testNodeId(labKey, DOCTOR_TEST), label: DOCTOR_TEST, description: 'overlay checks: Run with Doctor', runs: 'doctor', signature: 'doctor', children: [] });
  return top;
}

/** Every leaf under `nodes`, depth first. */
export function leavesOf(nodes: readonly TestNode[]): TestNode[] {
  return nodes.flatMap((node) => (node.children.length ? leavesOf(node.children) : node.runs ? [node] : []));
}
