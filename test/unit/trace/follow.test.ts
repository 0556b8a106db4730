// The trace's reading of what its captures saw, on tcpdump lines recorded on the test lab by
// test/fixtures/trace/record.ts: which probes ping sent, both legs point by point, where the
// last probe stopped, and the result as cli.md's version 2 shapes it.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameReader } from '../../../src/capture/frameParser';
import type { CaptureFrame } from '../../../src/capture/types';
import { loadLabText } from '../../../src/lab/load';
import { followProbes, isProbeFrame } from '../../../src/trace/follow';
import { legsFor } from '../../../src/trace/legs';
import type { TraceResultV2 } from '../../../src/trace/traceResultV2';
import { traceVerdict } from '../../../src/trace/verdict';

const ROOT = join(__dirname, '..', '..', '..');
const file = join(ROOT, 'examples', 'demo.lab.yaml');
const lab = loadLabText(readFileSync(file, 'utf8'), file).lab!;

interface Recorded {
  captured: { host: string; interface: string; lines: string[] }[];
  result: TraceResultV2;
}
const recorded = (name: string): Recorded => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'trace', `${name}.json`), 'utf8'));

function parse(lines: string[]): CaptureFrame[] {
  const frames: CaptureFrame[] = [];
  const reader = new FrameReader((frame) => frames.push(frame));
  for (const line of lines.flatMap((l) => l.split('\n'))) reader.push(line);
  reader.end();
  return frames;
}

function replay(name: string) {
  const rec = recorded(name);
  const legs = legsFor(lab, { host: 'test-a', interface: 'eth2' }, '10.213.50.12');
  const framesAt = legs.points.map((p) => parse(rec.captured.find((c) => c.host === p.host && c.interface === p.interface)?.lines ?? []));
  const who = { from: '10.213.50.11', to: '10.213.50.12' };
  return { rec, legs, framesAt, followed: followProbes(legs, framesAt, who) };
}

describe('trace: both legs from the lab model', () => {
  it('watches each point of both legs with one capture, the answer coming back the other way', () => {
    const legs = legsFor(lab, { host: 'test-a', interface: 'eth2' }, '10.213.50.12');
    const names = (indexes: number[]) => indexes.map((i) => `${legs.points[i].host}:${legs.points[i].interface}`);
    assert.deepEqual(names(legs.requestPoints), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2']);
    assert.deepEqual(names(legs.replyPoints), ['test-b:eth2', 'ovs-b:eth2', 'ovs-b:eth0', 'ovs-a:eth0', 'ovs-a:eth2', 'test-a:eth2']);
    assert.equal(legs.points.length, 6, 'one capture per (host, interface) for both legs');
    assert.deepEqual(legs.reply?.links.map((l) => `${l.kind} ${l.name}`), ['segment cn-b', 'encapsulation vx0', 'segment wan', 'decapsulation vx0', 'segment cn-a']);
  });
});

describe('trace: following the probes on recorded captures', () => {
  it('healthy: the ARP and the echo, each answered, seen at every point of both legs', () => {
    const { rec, legs, followed } = replay('healthy');
    assert.deepEqual(followed.probes, ['arp', 'icmp']);
    assert.equal(followed.replyAtSource, true);
    assert.equal(followed.loss, undefined);
    assert.ok(followed.hops.every((h) => h.seen), JSON.stringify(followed.hops));
    assert.deepEqual(followed.hops.map((h) => `${h.probe} ${h.direction} ${h.host}:${h.interface}`).slice(0, 7), ['arp request test-a:eth2', 'arp request ovs-a:eth2', 'arp request ovs-a:eth0', 'arp request ovs-b:eth0', 'arp request ovs-b:eth2', 'arp request test-b:eth2', 'arp reply test-b:eth2']);
    const result = traceVerdict({ legs, followed, pingCode: 0, watchProblems: [], elapsedMs: 1 });
    assert.equal(result.delivered, true);
    assert.equal(result.lostBetween, null);
    assert.equal(result.cause, null);
    assert.deepEqual(result.hops, rec.result.hops, 'the same reading as the live trace made');
  });

  it('mac-filter: the ARP request stops between the far gateway and the destination', () => {
    const { legs, followed } = replay('mac-filter');
    assert.deepEqual(followed.probes, ['arp']);
    const result = traceVerdict({ legs, followed, pingCode: 1, watchProblems: [], elapsedMs: 1 });
    assert.deepEqual(result.lostBetween, { direction: 'request', probe: 'arp', from: { host: 'ovs-b', interface: 'eth2' }, to: { host: 'test-b', interface: 'eth2' }, segment: 'cn-b' });
    assert.deepEqual(result.hops.filter((h) => !h.seen).map((h) => `${h.host}:${h.interface}`), ['test-b:eth2']);
    assert.equal(result.cause?.kind, 'unknown', 'without a measurement, no cause');
  });

  it('host-firewall: the destination got the echo request and sent nothing: lost at its interface, reply leg', () => {
    const { legs, followed } = replay('host-firewall');
    assert.deepEqual(followed.probes, ['arp', 'icmp']);
    const result = traceVerdict({ legs, followed, pingCode: 1, watchProblems: [], elapsedMs: 1 });
    assert.deepEqual(result.lostBetween, { direction: 'reply', probe: 'icmp', from: { host: 'test-b', interface: 'eth2' }, to: { host: 'test-b', interface: 'eth2' } });
  });

  it('openflow on the way back: the echo reply stops on the source side gateway, after the tunnel', () => {
    const { legs, followed } = replay('openflow-reply');
    const result = traceVerdict({ legs, followed, pingCode: 1, watchProblems: [], elapsedMs: 1 });
    assert.deepEqual(result.lostBetween, { direction: 'reply', probe: 'icmp', from: { host: 'ovs-a', interface: 'eth0' }, to: { host: 'ovs-a', interface: 'eth2' }, segment: 'vx0' });
  });

  it('says when ping and the source capture disagree, rather than pick one', () => {
    const { legs, followed } = replay('healthy');
    const failed = traceVerdict({ legs, followed, pingCode: 1, watchProblems: [], elapsedMs: 1 });
    assert.equal(failed.delivered, false, 'delivered is what ping says');
    assert.equal(failed.cause?.kind, 'unknown');
    assert.match(failed.cause?.evidence[0] ?? '', /captured the echo reply, yet ping reported no answer/);
    const lost = replay('mac-filter');
    const passed = traceVerdict({ legs: lost.legs, followed: lost.followed, pingCode: 0, watchProblems: [], elapsedMs: 1 });
    assert.equal(passed.delivered, true);
    assert.match(passed.hints.join(' '), /ping got its answer, but the source's capture did not show the echo reply/);
  });

  it('matches this ping only: another id, or the trace’s own control frames, are not the probe', () => {
    const { framesAt } = replay('healthy');
    const who = { from: '10.213.50.11', to: '10.213.50.12' };
    const source = framesAt[0];
    const echo = source.find((f) => isProbeFrame(f, 'icmp', 'request', who));
    assert.ok(echo?.icmp?.id);
    assert.equal(isProbeFrame(echo, 'icmp', 'request', who, echo.icmp.id + 1), false);
    assert.equal(isProbeFrame(echo, 'icmp', 'reply', who), false);
    const inTunnel = framesAt[2].filter((f) => isProbeFrame(f, 'arp', 'request', who));
    assert.equal(inTunnel.length, 1, 'the ARP request inside VXLAN on ovs-a:eth0');
    assert.equal(inTunnel[0].encapsulated, true);
  });
});
