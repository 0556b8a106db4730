import { strict as assert } from 'node:assert';
import { checkInterfaceErrors } from '../../../src/doctor/checks/interfaceErrors';
import { brief, configured, demoLab, input, only, ovsInterface } from './support';

describe('doctor check 10: interface errors OVS reports', () => {
  it('finds nothing on the configured demo', () => {
    assert.deepEqual(checkInterfaceErrors(input(demoLab(), configured())), []);
  });

  it('reports an interface OVS could not open, with how to fix it', () => {
    const states = configured();
    ovsInterface(states['ovs-a'], 'eth2').error = 'could not open network device eth2 (No such device)';
    const finding = only(checkInterfaceErrors(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error ovs-interface-error ovs-a br0/eth2']);
    assert.equal(finding.message, 'Open vSwitch on ovs-a reports an error for eth2 on bridge br0: could not open network device eth2 (No such device).');
    assert.equal(finding.fix, 'create eth2 on ovs-a, or remove the port: ovs-vsctl del-port br0 eth2');
  });

  it('warns about a declared port without link', () => {
    const states = configured();
    Object.assign(ovsInterface(states['ovs-b'], 'eth2'), { linkState: 'down', adminState: 'down' });
    const finding = only(checkInterfaceErrors(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['warning ovs-interface-down ovs-b br0/eth2']);
    assert.equal(finding.fix, 'ip link set dev eth2 up on ovs-b');
  });

  it('says nothing while ovs-vswitchd is down: the columns are stale', () => {
    const states = configured();
    ovsInterface(states['ovs-a'], 'eth2').error = 'could not open network device eth2 (No such device)';
    states['ovs-a'].ovs = { state: 'stopped', stopped: ['ovs-vswitchd'], message: 'ovs-vswitchd is not running on ovs-a' };
    assert.deepEqual(checkInterfaceErrors(input(demoLab(), states)), []);
  });
});
