import { strict as assert } from 'node:assert';
import { parseFrames } from '../../../src/capture/frameParser';
import { mergedLine, parseTargetWords } from '../../../src/cli/mergedCaptureCommand';
import { UsageError } from '../../../src/cli/exitCodes';

describe('the merged capture on the command line', () => {
  it('reads HOST:IFACE words, each once, and refuses anything else with a usage error', () => {
    assert.deepEqual(parseTargetWords(['test-a:eth2', 'ovs-a:eth0', 'test-a:eth2']), [{ host: 'test-a', interface: 'eth2' }, { host: 'ovs-a', interface: 'eth0' }]);
    assert.throws(() => parseTargetWords(['ovs-a']), (error: Error) => error instanceof UsageError && /"ovs-a" is not HOST:IFACE/.test(error.message));
    assert.throws(() => parseTargetWords(['ovs-a:']), UsageError);
    assert.throws(() => parseTargetWords(['ovs-a:eth0;reboot']), (error: Error) => error instanceof UsageError && /not a valid interface name/.test(error.message));
  });

  it('prints a line as host:iface, the corrected time as -tt would, then tcpdump’s text; a VXLAN inner line indented', () => {
    const [frame] = parseFrames(
      [
        '1796322944.232300 aa:00:00:00:00:03 > aa:00:00:00:00:04, ethertype IPv4 (0x0800), length 148: 192.0.2.1.4789 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 100',
        'aa:00:00:00:00:01 > aa:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64',
      ].join('\n'),
    );
    const text = mergedLine({ source: 1, timeUs: 1_796_322_944_000_042, frame }, ['test-a:eth2', 'ovs-a:eth0'], 11);
    assert.equal(
      text,
      'ovs-a:eth0  1796322944.000042 aa:00:00:00:00:03 > aa:00:00:00:00:04, ethertype IPv4 (0x0800), length 148: 192.0.2.1.4789 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 100\n            aa:00:00:00:00:01 > aa:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64',
    );
  });
});
