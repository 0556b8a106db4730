import { strict as assert } from 'node:assert';
import { loadLabText } from '../../../src/lab/load';
import { NEW_LAB_TEMPLATE } from '../../../src/views/newLabTemplate';

describe('the new lab template', () => {
  it('is a lab that checks clean', () => {
    const result = loadLabText(NEW_LAB_TEMPLATE, 'new.lab.yaml');
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.lab?.hosts.length, 2);
  });
});
