import { strict as assert } from 'node:assert';
import { CLASS_SGR, colourFrame, ENCAPSULATED_MARK, frameLines, inert, noticeLine, skippedNotice, sourcePrefix } from '../../../src/webview/ansi';
import { FRAME_CLASSES, type FrameLine } from '../../../src/webview/protocol';

const line = (text: string, cls: FrameLine['class'], encapsulated = false): FrameLine => ({ text, class: cls, encapsulated });

describe('capture lines in the terminal', () => {
  it('colours each class with its ANSI colour, so the terminal theme decides the shade', () => {
    assert.equal(colourFrame(line('ARP, Request who-has 10.0.0.2 tell 10.0.0.1', 'arp')), '\x1b[33mARP, Request who-has 10.0.0.2 tell 10.0.0.1\x1b[0m');
    assert.equal(colourFrame(line('IP 10.0.0.1 > 10.0.0.2: ICMP echo request', 'icmp')), '\x1b[32mIP 10.0.0.1 > 10.0.0.2: ICMP echo request\x1b[0m');
    assert.equal(colourFrame(line('IP6 fe80::1 > ff02::1: ICMP6, neighbor solicitation', 'icmp6')), '\x1b[92mIP6 fe80::1 > ff02::1: ICMP6, neighbor solicitation\x1b[0m');
    assert.equal(colourFrame(line('IP 10.213.100.1.4789 > 10.213.100.2.4789: VXLAN, flags [I] (0x08), vni 0', 'vxlan')), '\x1b[35mIP 10.213.100.1.4789 > 10.213.100.2.4789: VXLAN, flags [I] (0x08), vni 0\x1b[0m');
    assert.equal(colourFrame(line('Geneve, Flags [none], vni 0x7', 'geneve')), '\x1b[36mGeneve, Flags [none], vni 0x7\x1b[0m');
    assert.equal(colourFrame(line('IP6 2001:db8::1.22 > 2001:db8::2.5000: tcp', 'ipv6')), '\x1b[34mIP6 2001:db8::1.22 > 2001:db8::2.5000: tcp\x1b[0m');
    assert.equal(colourFrame(line('STP 802.1d, Config', 'other')), '\x1b[2mSTP 802.1d, Config\x1b[0m');
  });

  it('leaves plain IPv4 in the default colour', () => {
    assert.equal(colourFrame(line('IP 10.0.0.1.22 > 10.0.0.2.5000: Flags [P.]', 'ip')), 'IP 10.0.0.1.22 > 10.0.0.2.5000: Flags [P.]');
  });

  it('gives every class a colour entry', () => {
    for (const cls of FRAME_CLASSES) assert.equal(typeof CLASS_SGR[cls], 'string', cls);
    assert.equal(new Set(FRAME_CLASSES.filter((cls) => CLASS_SGR[cls]).map((cls) => CLASS_SGR[cls])).size, FRAME_CLASSES.filter((cls) => CLASS_SGR[cls]).length, 'no two classes share a colour');
  });

  it('marks a frame that was carried inside a tunnel', () => {
    const coloured = colourFrame(line('IP 10.213.50.11 > 10.213.50.12: ICMP echo request', 'icmp', true));
    assert.ok(coloured.startsWith(ENCAPSULATED_MARK));
    assert.ok(coloured.endsWith('\x1b[32mIP 10.213.50.11 > 10.213.50.12: ICMP echo request\x1b[0m'));
  });

  it('shows an outer line and its inner frame as two lines, the inner one marked', () => {
    const coloured = colourFrame(line('IP 10.213.100.1.51234 > 10.213.100.2.4789: VXLAN, flags [I] (0x08), vni 0\nIP 10.213.50.11 > 10.213.50.12: ICMP echo request', 'vxlan'));
    assert.equal(coloured, `\x1b[35mIP 10.213.100.1.51234 > 10.213.100.2.4789: VXLAN, flags [I] (0x08), vni 0\x1b[0m\r\n${ENCAPSULATED_MARK}\x1b[35mIP 10.213.50.11 > 10.213.50.12: ICMP echo request\x1b[0m`);
  });

  it('makes escape sequences and other control characters from the wire inert', () => {
    assert.equal(inert('evil\x1b]0;owned\x07\x1b[2J\r\nline\u009b31m\ttab'), 'evil·]0;owned··[2J··line·31m tab');
    assert.equal(colourFrame(line('a\x1b[2Jb\rc', 'ip')), 'a·[2Jb·c');
    const coloured = colourFrame(line('payload \x1b[31mred', 'other'));
    assert.equal(coloured.split('\x1b').length - 1, 2, 'only our own two escapes');
  });

  it('ends every line with CRLF', () => {
    assert.deepEqual(frameLines([line('a', 'ip'), line('b', 'arp')]), ['a\r\n', '\x1b[33mb\x1b[0m\r\n']);
  });

  it('writes notices dim, skips yellow, errors red', () => {
    assert.equal(noticeLine('listening', 'info'), '\x1b[2;3mlistening\x1b[0m\r\n');
    assert.equal(noticeLine('tcpdump: syntax error', 'error'), '\x1b[31mtcpdump: syntax error\x1b[0m\r\n');
    assert.equal(skippedNotice(1, 'trimmed', 20_000), '\x1b[33;3m… 1 line trimmed unwritten: the pane was more than 20,000 lines behind, so they would have scrolled out of the scrollback before they were drawn (counted, not shown)\x1b[0m\r\n');
    assert.match(skippedNotice(1200, 'paused', 20_000), /^\x1b\[33;3m… 1,200 lines not held: the pause held its limit of 20,000 lines/);
    assert.match(skippedNotice(3, 'sender'), /3 lines skipped: they came faster than the pane is sent lines/);
  });

  it('puts a merged pane’s host:iface before the line, padded and in its colour, and the time before that', () => {
    const out = frameLines([line('a\nb', 'vxlan')], () => ({ first: `T ${sourcePrefix('ovs-a:eth0', 1, 12)}`, continuation: '  ' }));
    assert.deepEqual(out, ['T \x1b[1;93movs-a:eth0  \x1b[0m \x1b[35ma\x1b[0m\r\n  \x1b[35m▌\x1b[0m \x1b[35mb\x1b[0m\r\n']);
    assert.equal(sourcePrefix('x\x1b', 0, 0), '\x1b[1;96mx·\x1b[0m ');
  });
});
