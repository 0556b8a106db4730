import { strict as assert } from 'node:assert';
import { traceOverlay } from '../../../src/commands/traceReport';
import { buildGraph } from '../../../src/views/topology/graphModel';
import { toElements } from '../../../src/webview/graphUpdate';
import { pointNode, traceDrawing, type TraceEdgeDef, type TraceNodeRef } from '../../../src/webview/traceDrawing';
import { arpLostToMacFilter, delivered, lostUnknownWithUnwatchedPoint, replyLostAtSourceFirewall } from '../commands/traceResultsV2';
import { demoLab } from '../views/hostStates';

// The nodes of the demo lab's diagram, as the webview finds capture points among them.
const refs: TraceNodeRef[] = toElements(buildGraph({ lab: demoLab() })).flatMap((element) =>
  element.group === 'nodes' ? [{ id: element.data.id, kind: element.data.kind, host: element.data.host, label: element.data.label, captureIface: element.data.captureIface }] : [],
);

const route = (edges: TraceEdgeDef[], leg: 'request' | 'reply') => edges.filter((edge) => edge.leg === leg).map((edge) => `${edge.source} → ${edge.target}`);

describe('a trace drawn on the topology', () => {
  it('finds the node of each capture point: the bridge port of that name before anything else', () => {
    assert.equal(pointNode(refs, 'ovs-a', 'eth0'), 'port:ovs-a/br-phy/eth0', 'not the tunnel port vx0, whose capture also runs on eth0');
    assert.equal(pointNode(refs, 'ovs-b', 'eth2'), 'port:ovs-b/br0/eth2');
    assert.equal(pointNode(refs, 'test-a', 'eth2'), 'iface:test-a/eth2');
    assert.equal(pointNode(refs, 'ovs-a', 'br0'), 'bridge:ovs-a/br0');
    assert.equal(pointNode(refs, 'test-a', 'eth9'), undefined);
  });

  it('draws a reply-leg loss: both legs hop by hop, each its own style, every point seen on both, the loss marked at the source with its leg', () => {
    const drawing = traceDrawing(traceOverlay(replyLostAtSourceFirewall), refs);
    assert.deepEqual(route(drawing.edges, 'request'), [
      'iface:test-a/eth2 → port:ovs-a/br0/eth2',
      'port:ovs-a/br0/eth2 → port:ovs-a/br-phy/eth0',
      'port:ovs-a/br-phy/eth0 → port:ovs-b/br-phy/eth0',
      'port:ovs-b/br-phy/eth0 → port:ovs-b/br0/eth2',
      'port:ovs-b/br0/eth2 → iface:test-b/eth2',
    ]);
    assert.deepEqual(route(drawing.edges, 'reply'), [
      'iface:test-b/eth2 → port:ovs-b/br0/eth2',
      'port:ovs-b/br0/eth2 → port:ovs-b/br-phy/eth0',
      'port:ovs-b/br-phy/eth0 → port:ovs-a/br-phy/eth0',
      'port:ovs-a/br-phy/eth0 → port:ovs-a/br0/eth2',
      'port:ovs-a/br0/eth2 → iface:test-a/eth2',
    ]);
    for (const edge of drawing.edges) assert.deepEqual(edge.classes, ['trace-leg', `trace-${edge.leg}`, 'trace-reached'], edge.id);
    assert.deepEqual(drawing.edges.map((edge) => edge.label).filter(Boolean), ['request', 'reply'], 'each leg names itself once');

    const source = drawing.nodes.find((node) => node.id === 'iface:test-a/eth2')!;
    assert.deepEqual(source.classes, ['trace-seen', 'trace-break']);
    assert.equal(source.badge, 'request ✔ · reply ✔\n✘ lost here (reply)');
    const far = drawing.nodes.find((node) => node.id === 'iface:test-b/eth2')!;
    assert.deepEqual(far.classes, ['trace-seen']);
    assert.equal(far.badge, 'request ✔ · reply ✔');
    assert.equal(drawing.nodes.filter((node) => node.classes.includes('trace-break')).length, 1);
  });

  it('draws an ARP loss on the request leg: the hop of loss marked with its leg, the point that missed it, no reply leg', () => {
    const drawing = traceDrawing(traceOverlay(arpLostToMacFilter), refs);
    assert.equal(route(drawing.edges, 'reply').length, 0);
    const lost = drawing.edges.filter((edge) => edge.classes.includes('trace-lost'));
    assert.deepEqual(
      lost.map((edge) => [edge.source, edge.target, edge.label]),
      [['port:ovs-b/br0/eth2', 'iface:test-b/eth2', '✘ lost (request)']],
    );
    assert.match(lost[0].info, /lost here \(cn-b\)/);
    const missed = drawing.nodes.find((node) => node.id === 'iface:test-b/eth2')!;
    assert.deepEqual(missed.classes, ['trace-missed', 'trace-break']);
    assert.equal(missed.badge, 'request ✘', 'lost between two points: the edge carries the loss, the node says what it saw');
    assert.deepEqual(drawing.nodes.find((node) => node.id === 'port:ovs-b/br0/eth2')!.classes, ['trace-seen']);
  });

  it('draws a delivered trace with nothing lost and both legs reached', () => {
    const drawing = traceDrawing(traceOverlay(delivered), refs);
    assert.equal(drawing.edges.length, 10);
    assert.ok(drawing.edges.every((edge) => edge.classes.includes('trace-reached')));
    assert.ok(drawing.nodes.every((node) => node.classes.join(' ') === 'trace-seen'));
  });

  it('tells a point that could not be watched from one that saw nothing, and fades the hops after the loss', () => {
    const drawing = traceDrawing(traceOverlay(lostUnknownWithUnwatchedPoint), refs);
    const unwatched = drawing.nodes.find((node) => node.id === 'port:ovs-b/br0/eth2')!;
    assert.deepEqual(unwatched.classes, ['trace-missed', 'trace-unwatched']);
    assert.equal(unwatched.badge, 'request ⚠ not watched');
    const states = drawing.edges.map((edge) => edge.classes[2]);
    assert.deepEqual(states, ['trace-reached', 'trace-reached', 'trace-lost', 'trace-unreached', 'trace-unreached']);
    assert.match(drawing.edges[3].info, /ovs-b:eth2 could not be watched/);
  });

  it('leaves out points the diagram has no node for, joining their neighbours', () => {
    const overlay = traceOverlay(delivered);
    const without = refs.filter((ref) => ref.id !== 'port:ovs-a/br-phy/eth0');
    const drawing = traceDrawing(overlay, without);
    assert.ok(route(drawing.edges, 'request').includes('port:ovs-a/br0/eth2 → port:ovs-b/br-phy/eth0'));
    assert.ok(!drawing.nodes.some((node) => node.id === 'port:ovs-a/br-phy/eth0'));
  });
});
