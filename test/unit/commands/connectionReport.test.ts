import { strict as assert } from 'node:assert';
import { connectionReport, failureLine } from '../../../src/commands/connectionReport';

describe('the Check Connections report', () => {
  it('says all hosts answered', () => {
    const report = connectionReport('demo', [{ host: 'a' }, { host: 'b' }]);
    assert.equal(report.message, 'demo: all 2 hosts reachable.');
    assert.deepEqual(report.failures, []);
  });

  it('counts the reachable hosts and names each one that failed', () => {
    const report = connectionReport('demo', [
      { host: 'ovs-a' },
      { host: 'test-a', error: 'test-a: cannot reach its jump host ovs-b.' },
      { host: 'ovs-b', error: 'connection refused' },
    ]);
    assert.equal(report.reachable, 1);
    assert.equal(report.total, 3);
    assert.deepEqual(report.failures, ['test-a: cannot reach its jump host ovs-b.', 'ovs-b: connection refused']);
    assert.equal(report.message, 'demo: 1/3 hosts reachable. test-a: cannot reach its jump host ovs-b. ovs-b: connection refused.');
  });

  it('names the host even when the error does not', () => {
    assert.equal(failureLine('h', ''), 'h: failed for no reason given');
    assert.equal(failureLine('h', 'h: already named'), 'h: already named');
    assert.equal(failureLine('h', 'hx: another host'), 'h: hx: another host');
  });

  it('says when a lab has no hosts', () => {
    assert.equal(connectionReport('empty', []).message, 'empty: the lab has no hosts.');
  });
});
