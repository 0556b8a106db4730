import { strict as assert } from 'node:assert';
import { parseFrames } from '../../../src/capture/frameParser';
import { frameLines } from '../../../src/views/topology/captureSessionBackend';

describe('frames as a pane gets them', () => {
  it('sends the time apart, to the microsecond, and the line after it; a VXLAN frame stays two lines', () => {
    const [plain, vxlan] = parseFrames(
      [
        '1796322944.232286 aa:00:00:00:00:01 > aa:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64',
        '1796322944.232300 aa:00:00:00:00:03 > aa:00:00:00:00:04, ethertype IPv4 (0x0800), length 148: 192.0.2.1.4789 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 100',
        'aa:00:00:00:00:01 > aa:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64',
      ].join('\n'),
    );
    assert.deepEqual(frameLines(plain), [{ text: 'aa:00:00:00:00:01 > aa:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64', class: 'icmp', encapsulated: false, time: 1_796_322_944_232_286 }]);
    const merged = frameLines(vxlan, { timeUs: 1_796_322_944_000_000, source: 2 });
    assert.equal(merged.length, 2);
    assert.deepEqual([merged[0].time, merged[0].source, merged[0].class, merged[1].encapsulated, merged[1].class], [1_796_322_944_000_000, 2, 'vxlan', true, 'icmp']);
    assert.match(merged[0].text, /^aa:00:00:00:00:03 > /);
  });
});
