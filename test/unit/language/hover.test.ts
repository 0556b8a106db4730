import { strict as assert } from 'node:assert';
import { hoverAt } from '../../../src/language/hover';
import { LabText } from '../../../src/language/labText';
import { NO_LIVE_FACTS } from '../../../src/language/liveFacts';
import { configuredFacts, demoWith, DEMO_TEXT, DOCS, withCursor } from './helpers';

describe('language: hover', () => {
  const demo = new LabText(DEMO_TEXT, 'demo.lab.yaml');

  it("shows a host's live state: address, jump, reachable, OS and OVS version, no drift", () => {
    const { text, offset } = withCursor(demoWith('  test-a:\n', '  test-¦a:\n'));
    const hover = hoverAt(text, offset, text.lab, configuredFacts(text), DOCS)!;
    assert.match(hover.markdown, /\*\*test-a\*\*: root@10\.213\.1\.2/);
    assert.match(hover.markdown, /reached through ovs-a/);
    assert.match(hover.markdown, /\breachable\b/);
    assert.match(hover.markdown, /Debian GNU\/Linux 12 \(bookworm\)/);
    assert.match(hover.markdown, /no drift/);
    const ovsA = hoverAt(demo, DEMO_TEXT.indexOf('remote: ovs-a') + 10, demo.lab, configuredFacts(demo), DOCS)!;
    assert.match(ovsA.markdown, /Open vSwitch: 3\.1\.0, running/, 'a reference to a host hovers as the host');
  });

  it('counts and lists the drift of a host whose live MTU differs', () => {
    const declared = new LabText(demoWith('        address: 10.213.50.1/24\n', '        address: 10.213.50.1/24\n        mtu: 1500\n'), 'x');
    const facts = configuredFacts(declared, (host, state) => {
      if (host === 'ovs-a') state.links.find((l) => l.name === 'br0')!.mtu = 1400;
    });
    const offset = declared.text.indexOf('  ovs-a:') + 3;
    const hover = hoverAt(declared, offset, declared.lab, facts, DOCS)!;
    assert.match(hover.markdown, /\*\*1 drifted\*\*/);
    assert.match(hover.markdown, /br0 has MTU 1400; the lab says 1500/);
  });

  it('says unreachable with the reason, and unknown before any reading', () => {
    const offset = DEMO_TEXT.indexOf('  ovs-b:') + 3;
    const failed = hoverAt(demo, offset, demo.lab, { ...NO_LIVE_FACTS, readings: { 'ovs-b': { ok: false, failure: { host: 'ovs-b', readAt: 'x', kind: 'timeout', message: 'ovs-b: no answer within 10 s' } } } }, DOCS)!;
    assert.match(failed.markdown, /\*\*unreachable\*\*: ovs-b: no answer within 10 s/);
    assert.match(hoverAt(demo, offset, demo.lab, NO_LIVE_FACTS, DOCS)!.markdown, /not read yet/);
  });

  it("shows a tunnel's both ends: declared and each end's live remote_ip", () => {
    const offset = DEMO_TEXT.indexOf('name: vx0') + 7;
    const hover = hoverAt(demo, offset, demo.lab, configuredFacts(demo), DOCS)!;
    assert.match(hover.markdown, /vxlan port of br0/);
    assert.match(hover.markdown, /declared: vxlan to ovs-b \(10\.213\.100\.2\), key 0, UDP 4789/);
    assert.match(hover.markdown, /ovs-a:vx0 live: remote_ip 10\.213\.100\.2/);
    assert.match(hover.markdown, /ovs-b:vx0 live: remote_ip 10\.213\.100\.1/);
  });

  it("shows an interface's live state from a segment member (host:interface)", () => {
    const offset = DEMO_TEXT.indexOf('test-a:eth2]') + 8;
    const hover = hoverAt(demo, offset, demo.lab, configuredFacts(demo), DOCS)!;
    assert.match(hover.markdown, /\*\*eth2\*\* on test-a: interface/);
    assert.match(hover.markdown, /live: up .*mtu 1500.*10\.213\.50\.11\/24/);
    assert.match(hover.markdown, /as the file says/);
  });

  it("shows the format page's words on a key", () => {
    const hover = hoverAt(demo, DEMO_TEXT.indexOf('datapath:') + 2, demo.lab, NO_LIVE_FACTS, DOCS)!;
    assert.match(hover.markdown, /OVS `?datapath_type`?: `?system`? \(kernel\)/);
  });
});
