import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSink } from '../../../src/lab/diagnostics';
import { loadLabText } from '../../../src/lab/load';
import { ReadContext } from '../../../src/lab/mapReader';
import { readLab } from '../../../src/lab/readLab';
import { resolveLab } from '../../../src/lab/resolve';
import { YamlSource } from '../../../src/lab/yamlSource';
import { LabText } from '../../../src/language/labText';
import { generatedLab } from '../../../bench/language';
import { DEMO_TEXT, demoWith, FIXTURE_LABS } from './helpers';

/** The draft model as one parse of the whole file gives it (the loader's way). */
function wholeParse(text: string) {
  const draft = readLab(new ReadContext(new YamlSource(text), new DiagnosticSink('x')), 'x');
  return draft && resolveLab(draft);
}

/** Anchors in an x- key, merged into hosts and bridges of other pieces, and an alias for a whole value. */
const ANCHORED = demoWith('hosts:\n', 'x-ovs: &ovs { kind: ovs, datapath: netdev }\nx-ssh: &ssh { user: root, strictHostKeyChecking: accept-new }\nhosts:\n')
  .replace('        kind: ovs\n        datapath: netdev\n', '        <<: *ovs\n')
  .replace('ssh: { host: 10.213.0.12 }', 'ssh: { <<: *ssh, host: 10.213.0.12 }');

describe('language: the model read from the pieces is the model one parse gives', () => {
  it('for the demo, every fixture lab, and a 200-host lab', () => {
    const files = readdirSync(FIXTURE_LABS).filter((f) => f.endsWith('.lab.yaml')).map((f) => readFileSync(join(FIXTURE_LABS, f), 'utf8'));
    for (const text of [DEMO_TEXT, ...files, generatedLab(200)]) assert.deepEqual(new LabText(text, 'x').lab, wholeParse(text));
  });

  it('with anchors in one piece merged in others (a bridge, an ssh map)', () => {
    assert.ok(ANCHORED.includes('<<: *ovs') && ANCHORED.includes('<<: *ssh'));
    assert.deepEqual(loadLabText(ANCHORED, 'x').diagnostics.filter((d) => d.severity === 'error'), [], 'the anchored file is a valid lab');
    const lab = new LabText(ANCHORED, 'x').lab!;
    assert.deepEqual(lab, wholeParse(ANCHORED));
    const br0 = lab.hosts.find((h) => h.name === 'ovs-a')!.bridges.find((b) => b.name === 'br0')!;
    assert.equal(br0.datapath, 'netdev', 'the merged anchor is read');
  });

  it('after an edit, with the pieces of the version before reused', () => {
    const before = new LabText(ANCHORED, 'x');
    const edited = ANCHORED.replace('  ovs-b:\n', '  ovs-b:\n    # typed\n').replace('  test-b:\n', '  test-b:\n    sudo: true\n');
    assert.deepEqual(new LabText(edited, 'x', before).lab, wholeParse(edited));
  });

  it('in a file with errors and a half-typed line, as far as it reads', () => {
    const broken = demoWith('  test-b:\n', '  test-b:\n    bridges: { br9: { ports: [eth9, { name: t0, type: vxl\n  half-typed-ho\n');
    assert.deepEqual(new LabText(broken, 'x').lab, wholeParse(broken));
  });
});
