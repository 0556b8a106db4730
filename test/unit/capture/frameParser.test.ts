import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameReader, parseFrame, parseFrames } from '../../../src/capture/frameParser';
import type { CaptureFrame } from '../../../src/capture/types';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'capture');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const classes = (frames: CaptureFrame[]) => frames.map((f) => (f.inner ? `${f.class}>${f.inner.class}` : f.class));

describe('capture frame parser, on tcpdump output recorded on the test lab', () => {
  it('reads plain ARP and ICMP on a veth, one line per frame', () => {
    const frames = parseFrames(fixture('plain-arp-icmp-test-a-eth2.txt'));
    assert.deepEqual(classes(frames), ['arp', 'arp', 'icmp', 'arp', 'arp', 'icmp', 'arp', 'icmp']);
    const [request, reply, echo] = frames;
    assert.deepEqual(
      { ...request, raw: undefined },
      {
        raw: undefined,
        time: 1795632468.277784,
        lines: 1,
        encapsulated: false,
        srcMac: 'e6:41:7f:94:33:00',
        dstMac: 'ff:ff:ff:ff:ff:ff',
        ethertype: 'ARP',
        class: 'arp',
        length: 42,
        arp: 'request',
        src: '10.213.50.11',
        dst: '10.213.50.1',
        summary: 'Request who-has 10.213.50.1 tell 10.213.50.11, length 28',
      },
    );
    assert.equal(request.raw, fixture('plain-arp-icmp-test-a-eth2.txt').split('\n')[0]);
    assert.equal(reply.arp, 'reply');
    assert.equal(reply.src, '10.213.50.1');
    assert.equal(reply.dst, undefined);
    assert.deepEqual(echo.icmp, { message: 'echo request', id: 8354, seq: 1 });
    assert.equal(echo.src, '10.213.50.11');
    assert.equal(echo.dst, '10.213.50.1');
    assert.equal(echo.length, 98);
  });

  it('joins each VXLAN outer line with the inner frame on the next line', () => {
    const text = fixture('vxlan-ovs-a-eth0.txt');
    const lines = text.trimEnd().split('\n');
    const frames = parseFrames(text);
    assert.equal(lines.length, 24);
    assert.deepEqual(classes(frames), [
      'vxlan>arp', 'vxlan>arp',
      'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp',
      'icmp', 'icmp', 'icmp6', 'icmp6',
    ]);
    assert.equal(frames.reduce((n, f) => n + f.lines, 0), lines.length, 'every line belongs to exactly one frame');
    const first = frames[0];
    assert.equal(first.raw, `${lines[0]}\n${lines[1]}`);
    assert.equal(first.lines, 2);
    assert.equal(first.encapsulated, true);
    assert.equal(first.vni, 0);
    assert.equal(first.time, 1795632468.738937);
    assert.equal(first.src, '10.213.100.1', 'the outer addresses, without the UDP port');
    assert.equal(first.dst, '10.213.100.2');
    assert.equal(first.srcMac, '26:a0:77:0e:19:53');
    assert.deepEqual(first.inner, {
      srcMac: 'e6:41:7f:94:33:00',
      dstMac: 'ff:ff:ff:ff:ff:ff',
      ethertype: 'ARP',
      class: 'arp',
      length: 42,
      arp: 'request',
      src: '10.213.50.11',
      dst: '10.213.50.12',
      summary: 'Request who-has 10.213.50.12 tell 10.213.50.11, length 28',
    });
    assert.deepEqual(frames[2].inner?.icmp, { message: 'echo request', id: 8362, seq: 1 });
    assert.deepEqual(frames[3].inner?.icmp, { message: 'echo reply', id: 8362, seq: 1 });
    // The kernel of the namespace answers the VXLAN frames OVS takes from it with port unreachable.
    assert.equal(frames[10].encapsulated, false);
    assert.deepEqual(frames[10].icmp, { message: '10.213.100.2 udp port 4789 unreachable' });
  });

  it('reads a VXLAN network identifier and 802.1Q tags inside', () => {
    const frames = parseFrames(fixture('vxlan-vni-vlan-ovs-b-eth0.txt'));
    assert.equal(frames.length, 6);
    assert.ok(frames.every((f) => f.class === 'vxlan' && f.vni === 5001 && f.lines === 2));
    assert.deepEqual(frames.map((f) => f.inner?.vlans), Array(6).fill([10]));
    assert.deepEqual(classes(frames), ['vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>icmp', 'vxlan>arp', 'vxlan>arp']);
    assert.equal(frames[0].inner?.ethertype, 'IPv4');
    assert.equal(frames[0].inner?.src, '10.213.50.11');
    assert.equal(frames[4].inner?.arp, 'request');
    assert.equal(frames[4].inner?.dst, '10.213.50.11');
  });

  it('reads Geneve, whose inner frame tcpdump prints on the same line, with a hexadecimal VNI', () => {
    const frames = parseFrames(fixture('geneve-ovs-b-eth0.txt'));
    assert.equal(frames.length, 8);
    assert.deepEqual(classes(frames), ['geneve>arp', 'geneve>arp', 'geneve>icmp', 'geneve>icmp', 'geneve>icmp', 'geneve>icmp', 'geneve>icmp', 'geneve>icmp']);
    for (const frame of frames) {
      assert.equal(frame.lines, 1);
      assert.equal(frame.encapsulated, true);
      assert.equal(frame.vni, 42);
    }
    assert.equal(frames[2].inner?.src, '10.213.50.11');
    assert.deepEqual(frames[3].inner?.icmp, { message: 'echo reply', id: 8461, seq: 1 });
  });

  it('reads IPv6 neighbour discovery and listener reports as icmp6', () => {
    const frames = parseFrames(fixture('ipv6-noise-test-a-eth2.txt'));
    assert.equal(frames.length, 12);
    assert.ok(frames.every((f) => f.class === 'icmp6' && f.ethertype === 'IPv6'));
    assert.deepEqual(frames[0].icmp, { message: 'neighbor solicitation' });
    assert.equal(frames[0].src, '::');
    assert.equal(frames[0].dst, 'ff02::1:ffb6:21a4');
    assert.deepEqual(frames[2].icmp, { message: 'multicast listener report v2' }, 'a hop-by-hop header first (HBH) is still ICMPv6');
  });

  it('gives every frame of every fixture a time, its raw lines, and a length', () => {
    for (const name of ['plain-arp-icmp-test-a-eth2.txt', 'icmp-ovs-b-eth2.txt', 'vxlan-ovs-a-eth0.txt', 'geneve-ovs-b-eth0.txt', 'ipv6-noise-test-a-eth2.txt', 'vxlan-vni-vlan-ovs-b-eth0.txt']) {
      const text = fixture(name);
      const frames = parseFrames(text);
      assert.equal(frames.map((f) => f.raw).join('\n'), text.trimEnd(), name);
      for (const frame of frames) {
        assert.ok(frame.time > 1.7e9, `${name}: ${frame.raw}`);
        assert.ok(frame.length && frame.length > 0, `${name}: ${frame.raw}`);
        assert.notEqual(frame.class, 'other', `${name}: ${frame.raw}`);
      }
    }
  });
});

describe('capture frame parser, edge cases', () => {
  const outer = '1795632379.342675 26:a0:77:0e:19:53 > ba:dd:5b:89:f3:2f, ethertype IPv4 (0x0800), length 92: 10.213.100.1.58842 > 10.213.100.2.4789: VXLAN, flags [I] (0x08), vni 7';
  const inner = 'e6:41:7f:94:33:00 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.213.50.12 tell 10.213.50.11, length 28';
  const plain = '1795632380.000001 e6:41:7f:94:33:00 > 12:f4:53:99:e5:fc, ethertype IPv4 (0x0800), length 98: 10.213.50.11 > 10.213.50.1: ICMP echo request, id 1, seq 2, length 64';

  it('hands a plain frame on at once, and holds a VXLAN outer line until its inner line', () => {
    const seen: CaptureFrame[] = [];
    const reader = new FrameReader((frame) => seen.push(frame));
    reader.push(plain);
    assert.equal(seen.length, 1);
    reader.push(outer);
    assert.equal(seen.length, 1, 'waits for the inner line');
    reader.push(inner);
    assert.equal(seen.length, 2);
    assert.equal(seen[1].vni, 7);
    assert.equal(seen[1].inner?.class, 'arp');
  });

  it('hands on a VXLAN outer line without inner when the next line has a timestamp, or at the end', () => {
    assert.deepEqual(
      parseFrames([outer, plain, outer].join('\n')).map((f) => [f.class, f.lines, f.inner === undefined]),
      [
        ['vxlan', 1, true],
        ['icmp', 1, true],
        ['vxlan', 1, true],
      ],
    );
  });

  it('keeps a line it cannot place as a frame of class other, with the previous time', () => {
    const frames = parseFrames([plain, 'something tcpdump printed on its own line'].join('\n'));
    assert.equal(frames.length, 2);
    assert.deepEqual({ ...frames[1] }, { class: 'other', summary: 'something tcpdump printed on its own line', time: 1795632380.000001, raw: 'something tcpdump printed on its own line', lines: 1, encapsulated: false });
  });

  it('classes other ethertypes, non-ICMP IP and IPv6 with ports', () => {
    const lldp = parseFrame('1795632380.5 aa:bb:cc:dd:ee:ff > 01:80:c2:00:00:0e, ethertype LLDP (0x88cc), length 60: LLDP, length 46');
    assert.equal(lldp.class, 'other');
    assert.equal(lldp.ethertype, 'LLDP');
    const tcp = parseFrame('1795632380.5 aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, ethertype IPv4 (0x0800), length 74: 10.213.0.1.41000 > 10.213.0.11.22: Flags [S], seq 1, win 64240, length 0');
    assert.deepEqual([tcp.class, tcp.src, tcp.dst], ['ip', '10.213.0.1', '10.213.0.11']);
    const udp6 = parseFrame('1795632380.5 aa:bb:cc:dd:ee:ff > 33:33:00:01:00:02, ethertype IPv6 (0x86dd), length 118: fe80::1.546 > ff02::1:2.547: dhcp6 solicit');
    assert.deepEqual([udp6.class, udp6.src, udp6.dst], ['ipv6', 'fe80::1', 'ff02::1:2']);
    const echo6 = parseFrame('1795632380.5 aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, ethertype IPv6 (0x86dd), length 118: fd00::1 > fd00::2: ICMP6, echo request, id 9, seq 3, length 64');
    assert.deepEqual(echo6.icmp, { message: 'echo request', id: 9, seq: 3 });
    const llc = parseFrame('1795632380.5 aa:bb:cc:dd:ee:ff > 01:80:c2:00:00:00, 802.3, length 60: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [none]');
    assert.deepEqual([llc.class, llc.ethertype, llc.length], ['other', '802.3', 60]);
  });

  it('parses a two-line frame as a whole', () => {
    const frame = parseFrame(`${outer}\n${inner}`);
    assert.equal(frame.lines, 2);
    assert.equal(frame.inner?.dst, '10.213.50.12');
  });

  it('ignores empty lines and copes with CRLF', () => {
    assert.equal(parseFrames(`${plain}\r\n\r\n${plain}\r\n`).length, 2);
  });
});
