import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../../src/doctor/types';
import { loadLabText } from '../../../src/lab/load';
import { LabText } from '../../../src/language/labText';
import { NO_LIVE_FACTS } from '../../../src/language/liveFacts';
import { quickFixesAt, type LabQuickFix } from '../../../src/language/quickFixes';
import type { TextEdit } from '../../../src/language/yamlEdits';
import { configuredFacts, demoWith, FIXTURE_LABS } from './helpers';

function applied(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

function errorsOf(text: string): string[] {
  return loadLabText(text, 'x').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

/** The fixes offered at the first diagnostic of the file (as the editor asks at a squiggle). */
function fixesAtFirstError(text: LabText): LabQuickFix[] {
  const diagnostic = loadLabText(text.text, 'x').diagnostics[0];
  return quickFixesAt(text, diagnostic.range, text.lab, NO_LIVE_FACTS);
}

describe('language: quick fixes', () => {
  it('adds the missing tunnel back on the remote host (block list), and the file then loads clean', () => {
    const original = readFileSync(join(FIXTURE_LABS, 'missing-tunnel-back.lab.yaml'), 'utf8');
    assert.ok(errorsOf(original).some((m) => /tunnel/.test(m)));
    const fix = fixesAtFirstError(new LabText(original, 'x')).find((f) => /Add the tunnel back/.test(f.title))!;
    assert.equal(fix.title, 'Add the tunnel back on ovs-ord: vx0 (vxlan to ovs-dfw) in br0');
    const after = applied(original, fix.edits!);
    assert.deepEqual(errorsOf(after), []);
    assert.match(after, /          - eth2\n          - \{ name: vx0, type: vxlan, remote: ovs-dfw \}\n  test-dfw:/);
  });

  it('adds it into a flow list too, with the VNI and UDP port the tunnel has', () => {
    const text = 'version: 1\nname: x\nhosts:\n  a:\n    interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }\n    bridges: { br0: { ports: [{ name: t0, type: geneve, remote: b, vni: 7, dstport: 7000 }] } }\n  b:\n    interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }\n    bridges: { br0: { ports: [eth1] } }\n';
    const lab = new LabText(text, 'x');
    const fix = fixesAtFirstError(lab).find((f) => /Add the tunnel back/.test(f.title))!;
    const after = applied(text, fix.edits!);
    assert.match(after, /ports: \[eth1, \{ name: t0, type: geneve, remote: a, vni: 7, dstport: 7000 \}\]/);
    assert.deepEqual(errorsOf(after), []);
  });

  it('takes the address off a bridged interface', () => {
    const original = readFileSync(join(FIXTURE_LABS, 'bridged-address.lab.yaml'), 'utf8');
    const fix = fixesAtFirstError(new LabText(original, 'x')).find((f) => /Take/.test(f.title))!;
    assert.equal(fix.title, 'Take 192.168.1.5/24 off eth2 (a port of br0 holds no address)');
    const after = applied(original, fix.edits!);
    assert.match(after, /      eth2: \{\}\n/);
    assert.deepEqual(loadLabText(after, 'x').diagnostics, [], 'the warning is gone too');
  });

  it("adopts the host's live value where the file says what the host no longer has", () => {
    const text = new LabText(demoWith('        address: 10.213.50.1/24\n', '        address: 10.213.50.1/24\n        mtu: 1500\n'), 'x');
    const facts = configuredFacts(text, (host, state) => {
      if (host === 'ovs-a') state.links.find((l) => l.name === 'br0')!.mtu = 1400;
    });
    const at = text.rangeAt(text.text.indexOf('mtu: 1500') + 5, text.text.indexOf('mtu: 1500') + 9);
    const fixes = quickFixesAt(text, at, text.lab, facts);
    const adopt = fixes.find((f) => /Adopt/.test(f.title))!;
    assert.equal(adopt.title, "Adopt ovs-a's live value: 1500 → 1400");
    assert.match(applied(text.text, adopt.edits!), /mtu: 1400/);
    assert.deepEqual(fixes.filter((f) => f.command).map((f) => `${f.command!.id} ${f.command!.host}`), ['overlayLab.plan ovs-a', 'overlayLab.apply ovs-a']);
  });

  it('sets the overlay MTU the doctor computed on the tunnel bridge', () => {
    const text = new LabText(demoWith('x', 'x'), 'x');
    const tunnel = text.lab!.tunnels.find((t) => t.host === 'ovs-a')!;
    const finding: Finding = { id: 'mtu-path-too-small', check: 'path-mtu', severity: 'error', host: 'ovs-a', hosts: ['ovs-a', 'ovs-b'], message: 'm', range: tunnel.range, values: { overlayMtu: 1500, overhead: 50, required: 1550, pathMtu: 1400 } };
    const fix = quickFixesAt(text, tunnel.range, text.lab, { ...NO_LIVE_FACTS, findings: [finding] }).find((f) => /MTU/.test(f.title))!;
    assert.equal(fix.title, 'Set the overlay MTU of br0 on ovs-a to 1350 (doctor: the path carries 1400, vxlan adds 50)');
    const after = applied(text.text, fix.edits!);
    assert.match(after, /          - \{ name: vx0, type: vxlan, remote: ovs-b \}\n        mtu: 1350\n  ovs-b:/, 'the new key goes after the last of the bridge');
    assert.deepEqual(errorsOf(after), []);
  });

  it('offers nothing where nothing is wrong and no host is named', () => {
    const text = new LabText(demoWith('x', 'x'), 'x');
    assert.deepEqual(quickFixesAt(text, text.rangeAt(0, 3), text.lab, NO_LIVE_FACTS), []);
  });

  it('still adds the tunnel back in a file with other errors and a half-typed line, where the far bridge merges an anchor', () => {
    const original = readFileSync(join(FIXTURE_LABS, 'missing-tunnel-back.lab.yaml'), 'utf8')
      .replace('hosts:\n', 'x-ovs: &ovs { kind: ovs }\nhosts:\n')
      .replace('      br0:\n        kind: ovs\n        address: 192.168.1.2/24', '      br0:\n        <<: *ovs\n        colour: red\n        address: 192.168.1.2/24')
      .replace('  test-ord:\n', '  test-ord:\n    sud\n');
    assert.ok(errorsOf(original).length > 0);
    const text = new LabText(original, 'x');
    const port = original.indexOf('{ name: vx0');
    const fix = quickFixesAt(text, text.rangeAt(port, port + 5), text.lab, NO_LIVE_FACTS).find((f) => /Add the tunnel back/.test(f.title))!;
    assert.equal(fix.title, 'Add the tunnel back on ovs-ord: vx0 (vxlan to ovs-dfw) in br0');
    const after = applied(original, fix.edits!);
    assert.match(after, /        colour: red\n        address: 192\.168\.1\.2\/24\n        ports:\n          - eth2\n          - \{ name: vx0, type: vxlan, remote: ovs-dfw \}\n  test-dfw:\n/);
    assert.match(after, /  test-ord:\n    sud\n/);
    // What remains wrong is what the user typed, not the tunnel.
    assert.ok(!errorsOf(after).some((m) => /tunnel back/.test(m)), errorsOf(after).join('\n'));
  });
});
