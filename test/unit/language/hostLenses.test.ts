import { strict as assert } from 'node:assert';
import { hostLenses } from '../../../src/language/hostLenses';
import { LabText } from '../../../src/language/labText';
import { NO_LIVE_FACTS } from '../../../src/language/liveFacts';
import { configuredFacts, demoWith, DEMO_TEXT } from './helpers';

describe('language: CodeLens above each host', () => {
  it('says reachable and the drift count, then Apply, Terminal and Trace, on the host line', () => {
    const text = new LabText(demoWith('        address: 10.213.50.1/24\n', '        address: 10.213.50.1/24\n        mtu: 1500\n'), 'x');
    const facts = configuredFacts(text, (host, state) => {
      if (host === 'ovs-a') state.links.find((l) => l.name === 'br0')!.mtu = 1400;
    });
    const lenses = hostLenses(text, facts).filter((l) => l.host === 'ovs-a');
    assert.deepEqual(lenses.map((l) => `${l.title} ${l.command}`), ['$(pass) reachable overlayLab.refreshHost', '$(warning) 1 drifted overlayLab.plan', 'Apply overlayLab.apply', 'Terminal overlayLab.openTerminal', 'Trace overlayLab.tracePath']);
    assert.match(text.text.split('\n')[lenses[0].range.line - 1], /^  ovs-a:/);
  });

  it('says not read yet, and unreachable with why, without a drift count', () => {
    const text = new LabText(DEMO_TEXT, 'x');
    assert.equal(hostLenses(text, NO_LIVE_FACTS)[0].title, '$(circle-outline) not read yet');
    const failed = hostLenses(text, { ...NO_LIVE_FACTS, readings: { 'ovs-a': { ok: false, failure: { host: 'ovs-a', readAt: 'x', kind: 'auth', message: 'ovs-a: key refused' } } } }).filter((l) => l.host === 'ovs-a');
    assert.deepEqual(failed.map((l) => l.title), ['$(error) unreachable', 'Apply', 'Terminal', 'Trace']);
    assert.equal(failed[0].tooltip, 'ovs-a: key refused');
  });

  it('follows the hosts map in flow style, with quoted names, anchors, errors and a half-typed host', () => {
    const flow = new LabText('version: 1\nname: x\nx-ssh: &ssh { user: root }\nhosts: { a: { ssh: { <<: *ssh, host: 10.0.0.1 } }, "b-2": { colour: red } }\n', 'x');
    const hosts = hostLenses(flow, NO_LIVE_FACTS).filter((l) => l.command === 'overlayLab.apply');
    assert.deepEqual(hosts.map((l) => [l.host, flow.text.split('\n')[l.range.line - 1].slice(l.range.col - 1, l.range.endCol - 1)]), [['a', 'a'], ['b-2', 'b-2']]);
    const typing = new LabText(demoWith('  test-b:\n', '  new-ho\n  test-b:\n').replace('version: 1', 'version: [1'), 'x');
    const names = hostLenses(typing, NO_LIVE_FACTS).filter((l) => l.command === 'overlayLab.apply').map((l) => l.host);
    assert.deepEqual(names.filter((n) => n !== 'new-ho'), ['ovs-a', 'ovs-b', 'test-a', 'test-b'], 'the syntax error above and the line being typed leave every host its lens');
    for (const lens of hostLenses(typing, NO_LIVE_FACTS).filter((l) => l.host !== 'new-ho')) assert.match(typing.text.split('\n')[lens.range.line - 1], new RegExp(`^  ${lens.host}:`));
  });
});
