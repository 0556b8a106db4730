import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findTaskLab,
  isScriptTaskDefinition,
  normalizeLabPath,
  relativeLabPath,
  scriptTaskSpecs,
  taskLabel,
  TASK_TYPE,
  type TaskLab,
} from '../../../src/views/scriptTaskModel';
import { demoLab } from './hostStates';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));

describe('lab scripts as tasks', () => {
  const lab = demoLab();
  const labs: TaskLab<string>[] = [
    { key: 'file:///ws/examples/demo.lab.yaml', folder: 'ws', path: 'examples/demo.lab.yaml', lab },
    { key: 'file:///ws/broken.lab.yaml', folder: 'ws', path: 'broken.lab.yaml' },
    { key: 'file:///other/demo.lab.yaml', folder: 'other', path: 'demo.lab.yaml', lab: { ...lab, name: 'other', scripts: [] } },
  ];

  it('offers one task per script of each valid lab, labelled `<lab>: <script>`, the description as detail', () => {
    const specs = scriptTaskSpecs(labs);
    assert.deepEqual(specs, [
      { folder: 'ws', definition: { type: 'overlay-lab', lab: 'examples/demo.lab.yaml', script: 'versions' }, source: 'demo', name: 'versions', detail: 'Show kernel, distribution and Open vSwitch versions' },
      { folder: 'ws', definition: { type: 'overlay-lab', lab: 'examples/demo.lab.yaml', script: 'show-ovs' }, source: 'demo', name: 'show-ovs', detail: 'Show the Open vSwitch configuration' },
    ]);
    // VS Code labels a provided task `<source>: <name>`.
    assert.deepEqual(
      specs.map((spec) => `${spec.source}: ${spec.name}`),
      [taskLabel('demo', 'versions'), 'demo: show-ovs'],
    );
    assert.equal(taskLabel('demo', 'show-ovs', 'ovs-b'), 'demo: show-ovs on ovs-b');
  });

  it('knows a definition from tasks.json, and what is not one', () => {
    assert.ok(isScriptTaskDefinition({ type: 'overlay-lab', lab: 'demo.lab.yaml', script: 'versions' }));
    assert.ok(isScriptTaskDefinition({ type: 'overlay-lab', lab: 'demo.lab.yaml', script: 'versions', host: 'ovs-a' }));
    assert.ok(!isScriptTaskDefinition({ type: 'shell', lab: 'demo.lab.yaml', script: 'versions' }));
    assert.ok(!isScriptTaskDefinition({ type: 'overlay-lab', lab: 'demo.lab.yaml' }));
    assert.ok(!isScriptTaskDefinition({ type: 'overlay-lab', lab: ' ', script: 'versions' }));
    assert.ok(!isScriptTaskDefinition({ type: 'overlay-lab', lab: 'demo.lab.yaml', script: 'versions', host: 3 }));
    assert.ok(!isScriptTaskDefinition(undefined));
  });

  it('finds the lab a definition names in its folder, however the path is spelled', () => {
    const inWs = (folder: string) => folder === 'ws';
    for (const lab of ['examples/demo.lab.yaml', './examples/demo.lab.yaml', 'examples\\demo.lab.yaml', 'examples/../examples/demo.lab.yaml']) {
      assert.equal(findTaskLab({ type: TASK_TYPE, lab, script: 'versions' }, labs, inWs)?.key, 'file:///ws/examples/demo.lab.yaml', lab);
    }
    assert.equal(findTaskLab({ type: TASK_TYPE, lab: 'demo.lab.yaml', script: 'versions' }, labs, inWs), undefined, 'the other folder’s file is not this folder’s');
    assert.equal(findTaskLab({ type: TASK_TYPE, lab: 'demo.lab.yaml', script: 'versions' }, labs, (folder) => folder === 'other')?.key, 'file:///other/demo.lab.yaml');
  });

  it('works out a file’s path in its folder', () => {
    assert.equal(relativeLabPath('/ws', '/ws/examples/demo.lab.yaml'), 'examples/demo.lab.yaml');
    assert.equal(relativeLabPath('/ws/', '/ws/demo.lab.yaml'), 'demo.lab.yaml');
    assert.equal(relativeLabPath('/ws', '/wsx/demo.lab.yaml'), undefined);
    assert.equal(normalizeLabPath(' ./a//b/./c.lab.yaml '), 'a/b/c.lab.yaml');
  });

  it('matches the manifest’s task definition', () => {
    const [definition] = manifest.contributes.taskDefinitions;
    assert.equal(definition.type, TASK_TYPE);
    assert.deepEqual(definition.required, ['lab', 'script']);
    assert.deepEqual(Object.keys(definition.properties).sort(), ['host', 'lab', 'script']);
  });
});
