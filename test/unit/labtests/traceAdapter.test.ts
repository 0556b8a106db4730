// The channels a lab test's trace holds on each host, so that the runner's slots keep every host
// under sshd's session limit while traces run side by side.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadLabFile } from '../../../src/lab/load';
import { expandTests } from '../../../src/labtests/expand';
import { traceNeeds } from '../../../src/labtests/traceAdapter';
import { MEASUREMENTS_PER_HOST } from '../../../src/trace/measure/hostLimit';

describe('the channels a trace holds', () => {
  it('counts one capture per watch point of both legs, the measurements beside them, and the probe on the source', async () => {
    const { lab } = await loadLabFile(join(__dirname, '..', '..', '..', 'examples', 'demo.lab.yaml'));
    assert.ok(lab);
    const cases = expandTests(lab);
    const pair = (name: string) => cases.find((c) => c.name === name)!;
    const m = MEASUREMENTS_PER_HOST;
    // Both legs of test-a -> test-b cross the same six points: test-a:eth2, ovs-a:eth2, ovs-a:eth0, ovs-b:eth0, ovs-b:eth2, test-b:eth2.
    assert.deepEqual(traceNeeds(lab, pair('all-pairs: test-a:eth2 -> test-b:eth2')), { 'test-a': m + 2, 'ovs-a': m + 2, 'ovs-b': m + 2, 'test-b': m + 1 });
    assert.deepEqual(traceNeeds(lab, pair('all-pairs: ovs-b:br0 -> test-b:eth2')), { 'ovs-b': m + 3, 'test-b': m + 1 });
  });
});
