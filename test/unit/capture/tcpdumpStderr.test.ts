import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStderrLine } from '../../../src/capture/tcpdumpStderr';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'capture');
const lines = (name: string) => readFileSync(join(FIXTURES, name), 'utf8').trimEnd().split('\n');

describe('tcpdump stderr', () => {
  it('reads "listening on", the summary, and drops the verbosity hint (recorded)', () => {
    assert.deepEqual(lines('stderr-summary.txt').map(parseStderrLine), [
      { kind: 'noise' },
      { kind: 'listening', interface: 'eth2', linkType: 'EN10MB (Ethernet)' },
      { kind: 'stat', field: 'captured', value: 8 },
      { kind: 'stat', field: 'receivedByFilter', value: 9 },
      { kind: 'stat', field: 'droppedByKernel', value: 0 },
    ]);
  });

  it('reads "listening on" as tcpdump prints it when it also writes a file (-w)', () => {
    assert.deepEqual(parseStderrLine('tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes'), {
      kind: 'listening',
      interface: 'eth0',
      linkType: 'EN10MB (Ethernet)',
    });
    assert.deepEqual(parseStderrLine('1 packet captured'), { kind: 'stat', field: 'captured', value: 1 });
    assert.deepEqual(parseStderrLine('3 packets dropped by interface'), { kind: 'stat', field: 'droppedByInterface', value: 3 });
  });

  it('keeps errors word for word (recorded)', () => {
    assert.deepEqual(lines('stderr-bad-filter.txt').map(parseStderrLine), [{ kind: 'message', text: "tcpdump: can't parse filter expression: syntax error" }]);
    assert.deepEqual(lines('stderr-no-device.txt').map(parseStderrLine), [
      { kind: 'message', text: 'tcpdump: eth9: No such device exists' },
      { kind: 'message', text: '(No such device exists)' },
    ]);
  });

  it("reads the wrapper's markers, and only well-formed ones", () => {
    assert.deepEqual(parseStderrLine('overlay-lab-capture: pcap /tmp/overlay-lab-capture.AbC123'), { kind: 'pcap', folder: '/tmp/overlay-lab-capture.AbC123' });
    assert.deepEqual(parseStderrLine('overlay-lab-capture: pid 4242'), { kind: 'pid', pid: 4242 });
    assert.deepEqual(parseStderrLine('overlay-lab-capture: exit 1'), { kind: 'exit', status: 1 });
    assert.deepEqual(parseStderrLine('overlay-lab-capture: nopcap cannot make a temporary folder'), { kind: 'nopcap', reason: 'cannot make a temporary folder' });
    assert.deepEqual(parseStderrLine('overlay-lab-capture: pid x'), { kind: 'message', text: 'overlay-lab-capture: pid x' });
  });
});
