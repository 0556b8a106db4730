// What a test's ping says, read from ping's own output as recorded (test/fixtures/ping/).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pingArgv, readPing } from '../../../src/labtests/ping';

const recorded = (name: string) => {
  const file = (ext: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'ping', `${name}.${ext}`), 'utf8');
  return [Number(file('code')), file('stdout'), file('stderr')] as const;
};

describe('a lab test’s ping', () => {
  it('is bounded, sends from the source address, and sends large probes unfragmented', () => {
    const from = { host: 'test-a', interface: 'eth2', address: '10.213.50.11' };
    assert.deepEqual(pingArgv({ from, to: '10.213.50.12', count: 1 }), ['ping', '-n', '-c', '1', '-i', '0.2', '-W', '1', '-I', '10.213.50.11', '10.213.50.12']);
    assert.deepEqual(pingArgv({ from, to: '10.213.50.12', count: 3, size: 1422 }).slice(8), ['-s', '1422', '-M', 'do', '-I', '10.213.50.11', '10.213.50.12']);
  });

  it('counts answers', () => {
    assert.deepEqual(readPing(...recorded('answered'), 2), { ran: true, counted: { sent: 2, received: 2 }, noRoute: false, note: undefined });
    assert.deepEqual(readPing(...recorded('no-answer'), 2), { ran: true, counted: { sent: 2, received: 0 }, noRoute: false, note: undefined });
  });

  it('keeps what ping said about a probe too large for the interface', () => {
    assert.deepEqual(readPing(...recorded('too-big'), 1), { ran: true, counted: { sent: 1, received: 0 }, noRoute: false, note: 'ping: local error: message too long, mtu=1400' });
  });

  it('reads "no route" as traffic that cannot pass, and a missing device as nothing measured', () => {
    assert.deepEqual(readPing(...recorded('no-route'), 1), { ran: true, counted: { sent: 0, received: 0 }, noRoute: true, note: 'ping: connect: Network is unreachable' });
    assert.deepEqual(readPing(...recorded('no-device'), 1), { ran: false, problem: 'ping: SO_BINDTODEVICE eth9: No such device' });
    assert.deepEqual(readPing(null, '', '', 1), { ran: false, problem: 'ping exited with no status (the connection was lost)' });
  });
});
