import { strict as assert } from 'node:assert';
import { encapsulationOverhead, pingPacketSize, pingPayload } from '../../../src/doctor/encapsulation';

describe('doctor: encapsulation overhead', () => {
  it('is 50 bytes for VXLAN over IPv4 and 70 over IPv6', () => {
    assert.equal(encapsulationOverhead('vxlan', 4).bytes, 50);
    assert.equal(encapsulationOverhead('vxlan', 6).bytes, 70);
    assert.equal(encapsulationOverhead('vxlan', 4).parts, '14 Ethernet + 8 VXLAN + 8 UDP + 20 IPv4');
  });

  it('is the same for Geneve without options', () => {
    assert.equal(encapsulationOverhead('geneve', 4).bytes, 50);
    assert.equal(encapsulationOverhead('geneve', 6).bytes, 70);
  });

  it('is 38 bytes for GRE carrying Ethernet, 42 with a key', () => {
    assert.equal(encapsulationOverhead('gre', 4).bytes, 38);
    assert.equal(encapsulationOverhead('gre', 4, '42').bytes, 42);
    assert.equal(encapsulationOverhead('gre', 6).bytes, 58);
  });

  it('converts between ping payloads and IP packet sizes', () => {
    assert.equal(pingPacketSize(1472, 4), 1500);
    assert.equal(pingPacketSize(1452, 6), 1500);
    assert.equal(pingPayload(1500, 4), 1472);
    assert.equal(pingPayload(pingPacketSize(56, 6), 6), 56);
  });
});
