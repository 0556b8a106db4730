import { strict as assert } from 'node:assert';
import { parseHostFacts } from '../../../src/doctor/measure/hostFacts';
import { doctorFixture } from './support';

describe('doctor: host facts, parsed from recorded output', () => {
  it('reads the clock, the module, the datapaths and the known log messages of an OVS host', () => {
    const facts = parseHostFacts('ovs-a', doctorFixture('facts-ovs-a.txt'));
    assert.equal(facts.now, '2026-11-25T19:00:57Z');
    assert.equal(facts.ovsModule, 'absent');
    assert.deepEqual(facts.datapathTypes, ['netdev']);
    assert.equal(facts.log?.file, '/var/log/openvswitch/ovs-vswitchd.log');
    assert.equal(facts.log?.linesRead, 59);
    assert.deepEqual(
      facts.log?.events.map((e) => [e.kind, e.detail, e.count, e.first, e.last]),
      [
        ['message-too-long', { device: 'eth0' }, 3, '2026-11-25T18:49:27.271Z', '2026-11-25T18:49:36.300Z'],
        ['datapath-unavailable', { bridge: 'brsys', type: 'system' }, 1, '2026-11-25T18:50:56.662Z', '2026-11-25T18:50:56.662Z'],
        ['bridge-create-failed', { bridge: 'brsys', reason: 'Address family not supported by protocol' }, 1, '2026-11-25T18:50:56.662Z', '2026-11-25T18:50:56.662Z'],
      ],
    );
  });

  it('groups "receive tunnel port not found" by sender and key', () => {
    const facts = parseHostFacts('ovs-b', doctorFixture('facts-ovs-b.txt'));
    const [event] = facts.log?.events ?? [];
    assert.equal(event.kind, 'tunnel-port-not-found');
    assert.deepEqual(event.detail, { source: '10.213.100.1', destination: '10.213.100.2', key: '0' });
    assert.equal(event.count, 5);
  });

  it('leaves unknown what a host without Open vSwitch cannot say, and says why its log is missing', () => {
    const facts = parseHostFacts('test-a', doctorFixture('facts-test-a.txt'));
    assert.equal(facts.datapathTypes, undefined);
    assert.equal(facts.log, undefined);
    assert.equal(facts.logProblem, 'cannot read /var/log/openvswitch/ovs-vswitchd.log');
    assert.equal(facts.ovsModule, 'absent');
  });

  it('survives output cut short', () => {
    const text = doctorFixture('facts-ovs-a.txt');
    const facts = parseHostFacts('ovs-a', text.slice(0, text.indexOf('begin datapath_types')));
    assert.equal(facts.ovsModule, 'absent');
    assert.equal(facts.datapathTypes, undefined);
    assert.equal(facts.log, undefined);
  });
});
