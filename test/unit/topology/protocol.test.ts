import { strict as assert } from 'node:assert';
import { buildGraph } from '../../../src/views/topology/graphModel';
import { traceOverlay } from '../../../src/commands/traceReport';
import { replyLostAtSourceFirewall } from '../commands/traceResultsV2';
import { isToWebview, packLines, parseWebviewMessage, scopeOfGraph, unpackLines, type FrameLine, type FromWebview, type Parsed } from '../../../src/webview/protocol';
import { demoLab } from '../views/hostStates';

const scope = scopeOfGraph(buildGraph({ lab: demoLab() }));

function accepted(value: unknown): FromWebview {
  const parsed = parseWebviewMessage(value, scope);
  assert.ok(parsed.ok, `refused ${JSON.stringify(value)}: ${(parsed as { reason?: string }).reason}`);
  return parsed.message;
}

function refused(value: unknown, pattern?: RegExp): string {
  const parsed: Parsed<FromWebview> = parseWebviewMessage(value, scope);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(value)}`);
  const reason = (parsed as { reason: string }).reason;
  if (pattern) assert.match(reason, pattern);
  return reason;
}

describe('the topology protocol', () => {
  describe('merged panes', () => {
    it('accepts a merged start over interfaces of the graph, once each, and a pick with or without a selection', () => {
      const targets = [{ host: 'test-a', iface: 'eth2' }, { host: 'ovs-b', iface: 'eth2' }];
      assert.deepEqual(accepted({ type: 'start-merged', id: 'p2', targets: [...targets, targets[0]], filter: ' icmp ' }), { type: 'start-merged', id: 'p2', targets, filter: 'icmp' });
      assert.deepEqual(accepted({ type: 'pick-merged', selected: [] }), { type: 'pick-merged', selected: [] });
    });

    it('refuses a merged start naming an interface outside the graph, none at all, or too many', () => {
      refused({ type: 'start-merged', id: 'p2', targets: [{ host: 'test-a', iface: 'eth2' }, { host: 'evil', iface: 'eth0' }], filter: '' }, /evil:eth0 is not an interface of the lab/);
      refused({ type: 'start-merged', id: 'p2', targets: [], filter: '' }, /list of 1 to 32/);
      refused({ type: 'start-merged', id: 'p2', targets: Array.from({ length: 33 }, () => ({ host: 'test-a', iface: 'eth2' })), filter: '' }, /list of 1 to 32/);
      refused({ type: 'start-merged', id: 'p2', targets: [{ host: 'test-a', iface: 'eth2' }], filter: 'a\nb' }, /control/);
    });

    it('lets the webview take merged-started, merged-clocks and open-merged', () => {
      assert.ok(isToWebview({ type: 'merged-started', id: 'p1', run: 1, sources: [{ host: 'a', iface: 'b' }], filter: '' }));
      assert.ok(isToWebview({ type: 'merged-clocks', id: 'p1', run: 1, clocks: [{ host: 'a', offsetUs: 1, boundUs: 2 }] }));
      assert.ok(isToWebview({ type: 'open-merged', targets: [{ host: 'a', iface: 'b' }] }));
      assert.ok(!isToWebview({ type: 'open-merged', targets: [] }));
    });
  });

  describe('messages from the webview', () => {
    it('accepts each well-formed message', () => {
      assert.deepEqual(accepted({ type: 'ready' }), { type: 'ready' });
      assert.deepEqual(accepted({ type: 'clear-trace', extra: 'ignored' }), { type: 'clear-trace' });
      assert.deepEqual(accepted({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth2', filter: ' icmp ' }), { type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth2', filter: 'icmp' });
      assert.deepEqual(accepted({ type: 'stop-capture', id: 'p1' }), { type: 'stop-capture', id: 'p1' });
      assert.deepEqual(accepted({ type: 'close-capture', id: 'p1' }), { type: 'close-capture', id: 'p1' });
      assert.deepEqual(accepted({ type: 'set-filter', id: 'p1', filter: 'arp or icmp' }), { type: 'set-filter', id: 'p1', filter: 'arp or icmp' });
      assert.deepEqual(accepted({ type: 'save-pcap', id: 'p-2_x' }), { type: 'save-pcap', id: 'p-2_x' });
      assert.deepEqual(accepted({ type: 'export', format: 'svg', data: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>' }).type, 'export');
      assert.deepEqual(accepted({ type: 'export', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' }).type, 'export');
      assert.deepEqual(accepted({ type: 'reveal', node: 'port:ovs-a/br0/vx0' }), { type: 'reveal', node: 'port:ovs-a/br0/vx0' });
      assert.deepEqual(accepted({ type: 'log', level: 'warn', message: 'x'.repeat(5000) }), { type: 'log', level: 'warn', message: 'x'.repeat(4000) });
    });

    it('accepts a capture on the underlay device a tunnel port is captured on', () => {
      accepted({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789 and host 10.213.100.2' });
    });

    it('refuses what is not a message or has an unknown type', () => {
      refused(null, /not an object/);
      refused('ready', /not an object/);
      refused([{ type: 'ready' }], /not an object/);
      refused({}, /unknown message type/);
      refused({ type: 'rm-rf' }, /unknown message type "rm-rf"/);
      refused({ type: 42 }, /unknown message type number/);
    });

    it('refuses fields of the wrong type', () => {
      refused({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 7, filter: '' }, /strings/);
      refused({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth2' }, /filter must be a string/);
      refused({ type: 'stop-capture', id: 5 }, /bad pane id/);
      refused({ type: 'stop-capture', id: '../../etc' }, /bad pane id/);
      refused({ type: 'stop-capture', id: 'x'.repeat(65) }, /bad pane id/);
      refused({ type: 'export', format: 'pdf', data: 'x' }, /svg or png/);
      refused({ type: 'export', format: 'png', data: 'data:text/html;base64,PGI+' }, /base64 data URI/);
      refused({ type: 'export', format: 'svg', data: '<html><script>alert(1)</script></html>' }, /SVG document/);
      refused({ type: 'export', format: 'svg', data: '' }, /at most 32 MiB/);
      refused({ type: 'reveal', node: 12 }, /node id/);
      refused({ type: 'log', level: 'fatal', message: 'x' }, /bad level/);
    });

    it('refuses a filter that is too long or holds control characters', () => {
      refused({ type: 'set-filter', id: 'p1', filter: 'icmp\nand arp' }, /control characters/);
      refused({ type: 'set-filter', id: 'p1', filter: 'icmp\u001b[2J' }, /control characters/);
      refused({ type: 'set-filter', id: 'p1', filter: 'x'.repeat(1025) }, /longer than 1024/);
    });

    it('refuses hosts, interfaces and nodes that are not in the lab', () => {
      refused({ type: 'start-capture', id: 'p1', host: 'ovs-z', iface: 'eth2', filter: '' }, /ovs-z:eth2 is not an interface of the lab/);
      refused({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth9', filter: '' }, /not an interface of the lab/);
      // A host's own node is not a device, nor is a segment.
      refused({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'ovs-a', filter: '' });
      refused({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'wan', filter: '' });
      refused({ type: 'reveal', node: 'host:nowhere' }, /no node host:nowhere/);
    });

    it('keeps positions of nodes in the graph, drops the others, and refuses bad points', () => {
      assert.deepEqual(accepted({ type: 'positions-changed', positions: { 'port:ovs-a/br0/vx0': { x: 1.5, y: -2 }, 'port:gone/x': { x: 0, y: 0 } } }), {
        type: 'positions-changed',
        positions: { 'port:ovs-a/br0/vx0': { x: 1.5, y: -2 } },
      });
      refused({ type: 'positions-changed', positions: { 'port:ovs-a/br0/vx0': { x: 'left', y: 0 } } }, /not a point/);
      refused({ type: 'positions-changed', positions: { 'port:ovs-a/br0/vx0': { x: Infinity, y: 0 } } }, /not a point/);
      refused({ type: 'positions-changed', positions: { 'port:ovs-a/br0/vx0': { x: 1e9, y: 0 } } }, /not a point/);
      refused({ type: 'positions-changed', positions: [] }, /must be an object/);
      refused({ type: 'positions-changed', positions: Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`n${i}`, { x: 0, y: 0 }])) }, /too many/);
    });

    it('checks shapes only when no graph is given', () => {
      assert.equal(parseWebviewMessage({ type: 'start-capture', id: 'p1', host: 'anything', iface: 'eth0', filter: '' }).ok, true);
    });
  });

  it('packs a batch’s lines into columns and back, each line as it was', () => {
    const lines: FrameLine[] = [
      { text: 'IP 10.0.0.1 > 10.0.0.2: VXLAN, flags [I] (0x08), vni 100', class: 'vxlan', encapsulated: false, time: 1796322944232286, source: 2 },
      { text: 'IP 192.168.1.1 > 192.168.1.2: ICMP echo request', class: 'icmp', encapsulated: true, source: 2 },
      { text: 'ARP, Request who-has 10.0.0.2', class: 'arp', encapsulated: false, time: 0, source: 0 },
    ];
    const packed = packLines(lines);
    assert.deepEqual(packed.kinds, [10, 3, 0]);
    assert.deepEqual(packed.times, [1796322944232286, -1, 0]);
    assert.deepEqual(unpackLines(packed), lines);
    const single: FrameLine[] = [{ text: 'x', class: 'other', encapsulated: false }];
    assert.equal(packLines(single).sources, undefined, 'a single pane sends no sources');
    assert.deepEqual(unpackLines(packLines(single)), single);
    assert.equal(unpackLines(packLines([{ text: 'y', class: 'nope' as FrameLine['class'], encapsulated: false }]))[0].class, 'other', 'a class it does not know travels as other');
  });

  describe('messages from the extension', () => {
    const graph = buildGraph({ lab: demoLab() });
    const settings = { terminalFontFamily: 'monospace', terminalFontSize: 12, terminalLineHeight: 1, scrollback: 1000 };

    it('recognises each well-formed message', () => {
      const messages: unknown[] = [
        { type: 'init', lab: { key: 'file:///x', file: '/x', name: 'demo' }, graph, positions: {}, settings },
        { type: 'graph', graph },
        { type: 'settings', settings },
        { type: 'open-capture', target: { host: 'ovs-a', iface: 'eth0' } },
        { type: 'capture-started', id: 'p1', run: 1, host: 'ovs-a', iface: 'eth0', filter: '' },
        { type: 'capture-listening', id: 'p1', run: 1 },
        { type: 'capture-batch', id: 'p1', run: 1, lines: { texts: ['x'], kinds: [0], times: [-1] }, packets: 1, rate: 0.5, skipped: 0 },
        { type: 'capture-error', id: 'p1', run: 1, message: 'tcpdump: eth9: No such device exists' },
        { type: 'capture-ended', id: 'p1', run: 1, summary: { packets: 3 } },
        { type: 'trace', trace: traceOverlay(replyLostAtSourceFirewall) },
        { type: 'trace', trace: null },
      ];
      for (const message of messages) assert.ok(isToWebview(message), JSON.stringify(message).slice(0, 80));
    });

    it('refuses malformed ones', () => {
      for (const message of [
        null,
        { type: 'nope' },
        { type: 'graph', graph: { lab: 'x', nodes: 'all' } },
        { type: 'capture-batch', id: 'p1', run: -1, lines: [], packets: 0, rate: 0, skipped: 0 },
        { type: 'capture-batch', id: 'p1', run: 1, lines: 'x', packets: 0, rate: 0, skipped: 0 },
        { type: 'capture-batch', id: 'p1', run: 1, lines: [{ text: 'x', class: 'arp', encapsulated: false }], packets: 0, rate: 0, skipped: 0 },
        { type: 'capture-batch', id: 'p1', run: 1, lines: { texts: ['x', 'y'], kinds: [0], times: [-1, -1] }, packets: 0, rate: 0, skipped: 0 },
        { type: 'capture-error', id: 'p 1', run: 1, message: 'x' },
        { type: 'capture-ended', id: 'p1', run: 1, summary: {} },
        // The first overlay's shape (points, no legs, no banner): not drawn as if it were a v2 one.
        { type: 'trace', trace: { delivered: false, summary: 'x', points: [] } },
        { type: 'trace', trace: { ...traceOverlay(replyLostAtSourceFirewall), banner: { delivered: false, summary: 'x' } } },
      ]) {
        assert.equal(isToWebview(message), false, JSON.stringify(message));
      }
    });
  });
});
