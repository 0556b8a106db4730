import { strict as assert } from 'node:assert';
import { LabText } from '../../../src/language/labText';
import { addToMap, appendToList, removeFromMap, setInMap, type TextEdit } from '../../../src/language/yamlEdits';

function applied(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'an edit');
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

describe('language: YAML edits in the style of the file', () => {
  const block = 'hosts:\n  a:\n    interfaces:\n      eth1:\n        address: 10.0.0.1/24   # old\n        mtu: 1400\n    bridges:\n      br0:\n        ports:\n          - eth1\n          # a comment\n          - eth2\n';

  it('takes a pair out of a block map with its whole line and comment, and of a flow map with its comma', () => {
    assert.equal(applied(block, removeFromMap(new LabText(block, 'x'), ['hosts', 'a', 'interfaces', 'eth1'], 'address')), block.replace('        address: 10.0.0.1/24   # old\n', ''));
    const flow = 'hosts: { a: { interfaces: { eth1: { address: 10.0.0.1/24, mtu: 1400 } } } }\n';
    assert.equal(applied(flow, removeFromMap(new LabText(flow, 'x'), ['hosts', 'a', 'interfaces', 'eth1'], 'address')), flow.replace('address: 10.0.0.1/24, ', ''));
    assert.equal(applied(flow, removeFromMap(new LabText(flow, 'x'), ['hosts', 'a', 'interfaces', 'eth1'], 'mtu')), flow.replace(', mtu: 1400', ''));
  });

  it('appends to a block list at its own indentation, after its last item', () => {
    assert.equal(applied(block, appendToList(new LabText(block, 'x'), ['hosts', 'a', 'bridges', 'br0', 'ports'], 'eth3')), block.replace('          - eth2\n', '          - eth2\n          - eth3\n'));
  });

  it('adds and sets a key in block and flow maps', () => {
    const text = new LabText(block, 'x');
    assert.match(applied(block, addToMap(text, ['hosts', 'a', 'bridges', 'br0'], 'mtu', '1450')), /          - eth2\n        mtu: 1450\n$/);
    assert.match(applied(block, setInMap(text, ['hosts', 'a', 'interfaces', 'eth1'], 'mtu', '1450')), /        mtu: 1450\n/);
    const flow = 'hosts: { a: { bridges: { br0: { kind: ovs } } } }\n';
    assert.equal(applied(flow, addToMap(new LabText(flow, 'x'), ['hosts', 'a', 'bridges', 'br0'], 'mtu', '1450')), 'hosts: { a: { bridges: { br0: { kind: ovs, mtu: 1450 } } } }\n');
  });
});
