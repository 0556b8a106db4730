import { strict as assert } from 'node:assert';
import { isExcludedPath, isLabFilePath, newLabFileName } from '../../../src/views/labFileNames';

describe('lab file names', () => {
  it('knows a lab file by its suffix', () => {
    assert.ok(isLabFilePath('/ws/demo.lab.yaml'));
    assert.ok(isLabFilePath('C:\\ws\\Demo.LAB.YAML'));
    assert.ok(!isLabFilePath('/ws/demo.yaml'));
    assert.ok(!isLabFilePath('/ws/lab.yaml'));
  });

  it('leaves dependencies out', () => {
    assert.ok(isExcludedPath('/ws/node_modules/pkg/x.lab.yaml'));
    assert.ok(isExcludedPath('C:\\ws\\node_modules\\x.lab.yaml'));
    assert.ok(!isExcludedPath('/ws/my_node_modules_notes/x.lab.yaml'));
  });

  it('names a new lab file after the first free name', () => {
    assert.equal(newLabFileName(() => false), 'new.lab.yaml');
    const taken = new Set(['new.lab.yaml', 'new-2.lab.yaml']);
    assert.equal(newLabFileName((name) => taken.has(name)), 'new-3.lab.yaml');
  });
});
