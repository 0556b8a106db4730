import { strict as assert } from 'node:assert';
import { hoverAt } from '../../../src/language/hover';
import { LabText } from '../../../src/language/labText';
import type { LastTestResult } from '../../../src/labtests/lastResults';
import type { LabTestResult } from '../../../src/labtests/types';
import { NO_LIVE_FACTS, type LiveFacts } from '../../../src/language/liveFacts';
import type { TraceResultV2 } from '../../../src/trace/traceResultV2';
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

  it('reads a bridge that merges an anchor of another part of the file, and a key under the merge', () => {
    const anchored = demoWith('hosts:\n', 'x-ovs: &ovs { kind: linux }\nhosts:\n').replace('        kind: ovs\n        datapath: netdev\n        address: 10.213.50.1/24', '        <<: *ovs\n        address: 10.213.50.1/24');
    const text = new LabText(anchored, 'x');
    const br0 = anchored.indexOf('      br0:\n        <<: *ovs') + 7;
    assert.match(hoverAt(text, br0, text.lab, NO_LIVE_FACTS, DOCS)!.markdown, /\*\*br0\*\* on ovs-a: bridge \(linux\)/, 'the merged kind is read');
    assert.match(hoverAt(text, anchored.indexOf('address: 10.213.50.1/24') + 2, text.lab, NO_LIVE_FACTS, DOCS)!.markdown, /as for interfaces, on the bridge/);
  });

  it("shows the format page's words on a key", () => {
    const hover = hoverAt(demo, DEMO_TEXT.indexOf('datapath:') + 2, demo.lab, NO_LIVE_FACTS, DOCS)!;
    assert.match(hover.markdown, /OVS `?datapath_type`?: `?system`? \(kernel\)/);
  });
});

describe('language: hover on a test shows its last result', () => {
  // The demo lab with tests in both styles: a block map, a flow map, and a mesh.
  const withTests = `${DEMO_TEXT.trimEnd()}\ntests:\n  sites-reach:\n    from: test-a\n    to: test-b\n  quick: { from: test-a, to: test-b, count: 2 }\n  all: { mesh: true }\n`;
  const lab = new LabText(withTests, 'tests.lab.yaml');
  const at = (key: string) => withTests.indexOf(`  ${key}:`) + 3;
  const AT = Date.UTC(2026, 11, 4, 3, 59, 18);
  const lostTrace: TraceResultV2 = {
    version: 2,
    from: { host: 'test-a', interface: 'eth2', address: '10.213.50.11' },
    to: '10.213.50.12',
    delivered: false,
    probes: ['arp'],
    hops: [],
    lostBetween: { direction: 'request', probe: 'arp', from: { host: 'ovs-a', interface: 'vx0' }, to: { host: 'ovs-b', interface: 'vx0' }, segment: 'vx0' },
    cause: { kind: 'vni-mismatch', confidence: 'proved', evidence: ['ovs-a:vx0 sends key 100, ovs-b:vx0 expects key 200'] },
    hints: ['set the same vni on both ends'],
    elapsedMs: 2100,
  };
  const failed: LabTestResult = { name: 'sites-reach', from: 'test-a:eth2', to: '10.213.50.12', expect: 'reach', passed: false, ms: 3_400, trace: lostTrace, ping: { sent: 1, received: 0 }, message: '0 of 1 ping answered; lost between ovs-a:vx0 and ovs-b:vx0', details: [] };
  const factsWith = (entries: Record<string, LastTestResult[]>): LiveFacts => ({ ...NO_LIVE_FACTS, testResults: (declared) => entries[declared] ?? [] });

  it('a failure: failed, when, how long, and the trace\'s place, cause kind and what was measured', () => {
    const hover = hoverAt(lab, at('sites-reach'), lab.lab, factsWith({ 'sites-reach': [{ name: 'sites-reach', declared: 'sites-reach', status: 'failed', at: AT, ms: 3_400, result: failed }] }), DOCS)!;
    assert.match(hover.markdown, /\*\*test sites-reach\*\*: \*\*failed\*\*, 2026-12-04 03:59:18 UTC, took 3\.4 s/);
    assert.match(hover.markdown, /UTC, took 3\.4 s  \n0 of 1 ping answered  \n/);
    assert.match(hover.markdown, /place: lost between ovs-a:vx0 and ovs-b:vx0 \(vx0\), request leg, arp/);
    assert.match(hover.markdown, /cause: vni-mismatch \(proved\)/);
    assert.match(hover.markdown, /measured: ovs-a:vx0 sends key 100, ovs-b:vx0 expects key 200/);
    const key = withTests.indexOf('  sites-reach:') + 2;
    assert.deepEqual(hover.range, lab.rangeAt(key, key + 'sites-reach'.length), 'the hover covers the test\'s name');
  });

  it('a pass and an errored run in a flow map, a test not run yet, and a result the file changed since', () => {
    const passed = hoverAt(lab, at('quick'), lab.lab, factsWith({ quick: [{ name: 'quick', declared: 'quick', status: 'passed', at: AT, ms: 412, result: { ...failed, name: 'quick', passed: true, trace: null, message: undefined } }] }), DOCS)!;
    assert.match(passed.markdown, /\*\*test quick\*\*: passed, 2026-12-04 03:59:18 UTC, took 412 ms/);
    assert.doesNotMatch(passed.markdown, /place:|cause:/);
    const errored = hoverAt(lab, at('quick'), lab.lab, factsWith({ quick: [{ name: 'quick', declared: 'quick', status: 'errored', at: AT, ms: 0, error: 'The lab file has errors (see Problems)', outdated: true }] }), DOCS)!;
    assert.match(errored.markdown, /\*\*errored\*\*, 2026-12-04 03:59:18 UTC/);
    assert.match(errored.markdown, /could not run: The lab file has errors/);
    assert.match(errored.markdown, /changed in the file since/);
    assert.match(hoverAt(lab, at('quick'), lab.lab, NO_LIVE_FACTS, DOCS)!.markdown, /\*\*test quick\*\*: not run yet/);
  });

  it('a mesh: how many pairs passed, the failed pair first with its verdict', () => {
    const pass: LastTestResult = { name: 'all: ovs-a:br0 -> ovs-b:br0', declared: 'all', status: 'passed', at: AT - 5_000, ms: 300 };
    const fail: LastTestResult = { name: 'all: test-a:eth2 -> test-b:eth2', declared: 'all', status: 'failed', at: AT, ms: 3_400, result: failed };
    const hover = hoverAt(lab, at('all'), lab.lab, factsWith({ all: [pass, fail] }), DOCS)!;
    assert.match(hover.markdown, /\*\*test all\*\* \(mesh\): 1 of 2 pairs passed, 1 failed; last result 2026-12-04 03:59:18 UTC/);
    const lines = hover.markdown.split('  \n');
    const failedAt = lines.findIndex((l) => l.startsWith('`test-a:eth2 -> test-b:eth2`: **failed**'));
    const passedAt = lines.findIndex((l) => l.startsWith('`ovs-a:br0 -> ovs-b:br0`: passed'));
    assert.ok(failedAt > 0 && passedAt > failedAt, hover.markdown);
    assert.match(lines[failedAt + 3], /cause: vni-mismatch/);
  });

  it('the test hover holds in a half-typed file (the model unreadable)', () => {
    const { text, offset } = withCursor(`version: 1\nname: x\nhosts:\n  a: { ssh: { host: 10.0.0.1 }\ntests:\n  re¦ach: { from: a, to: \n`);
    const hover = hoverAt(text, offset, undefined, factsWith({ reach: [{ name: 'reach', declared: 'reach', status: 'passed', at: AT, ms: 90 }] }), DOCS)!;
    assert.match(hover.markdown, /\*\*test reach\*\*: passed/);
  });
});
