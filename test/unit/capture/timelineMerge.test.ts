import { strict as assert } from 'node:assert';
import { frameTimeUs, splitTimestamp } from '../../../src/capture/frameTime';
import { TimelineMerge } from '../../../src/capture/timelineMerge';

interface Item {
  timeUs: number;
  name: string;
}

/** Three hosts; their clocks run off by known offsets; each frame's time is corrected as the merged capture does. */
function setup(holdUs = 300_000) {
  let now = 0;
  const out: Item[] = [];
  const merge = new TimelineMerge<Item>(3, (items) => out.push(...items), { now: () => now, holdUs });
  return { merge, out, at: (us: number) => (now = us) };
}

describe('one timeline across hosts', () => {
  it('orders the frames of a ping through three hosts by corrected time, whatever order their hosts sent them in', () => {
    const { merge, out, at } = setup();
    // Host clocks minus this machine's: test-a +2 s, ovs-a −350 ms, test-b +0.8 ms.
    const offsets = [2_000_000, -350_000, 800];
    // This machine's times of what happened: request at test-a, ovs-a, test-b; reply back.
    const truth: [number, number, string][] = [
      [0, 1_000_000, 'test-a request'],
      [1, 1_000_150, 'ovs-a request'],
      [2, 1_000_400, 'test-b request'],
      [2, 1_000_450, 'test-b reply'],
      [1, 1_000_700, 'ovs-a reply'],
      [0, 1_000_900, 'test-a reply'],
    ];
    // As stamped by each host's own clock, then corrected by its measured offset.
    const stamped = truth.map(([source, us, name]) => ({ source, hostUs: us + offsets[source], name }));
    // Arrival: test-b's frames first, test-a's last (a slow link).
    for (const source of [2, 1, 0]) for (const frame of stamped.filter((f) => f.source === source)) merge.push(source, { timeUs: frame.hostUs - offsets[source], name: frame.name });
    at(1_000_500);
    merge.tick();
    // test-b has shown nothing after 1_000_450: a frame later than that waits (test-b may still send one before it).
    assert.deepEqual(out.map((item) => item.name), ['test-a request', 'ovs-a request', 'test-b request', 'test-b reply']);
    merge.end(2);
    merge.tick();
    // test-b has ended; test-a has shown 1_000_900: ovs-a's reply is safe, test-a's last waits for ovs-a or the hold.
    assert.deepEqual(out.map((item) => item.name), ['test-a request', 'ovs-a request', 'test-b request', 'test-b reply', 'ovs-a reply']);
    at(1_000_900 + 300_000);
    merge.tick();
    assert.deepEqual(out.map((item) => item.name), truth.map(([, , name]) => name));
    assert.equal(merge.late, 0);
  });

  it('holds a frame for a quiet source until the hold has passed, then hands it on', () => {
    const { merge, out, at } = setup(300_000);
    merge.push(0, { timeUs: 1_000, name: 'a1' });
    at(200_000);
    merge.tick();
    assert.equal(out.length, 0, 'sources 1 and 2 may still send something earlier');
    at(301_000);
    merge.tick();
    assert.deepEqual(out.map((item) => item.name), ['a1']);
  });

  it('counts a frame that comes after the hold, out of order, as late', () => {
    const { merge, out, at } = setup(100_000);
    merge.push(0, { timeUs: 500_000, name: 'a' });
    at(700_000);
    merge.tick();
    merge.push(1, { timeUs: 450_000, name: 'b (too late)' });
    merge.tick();
    assert.deepEqual(out.map((item) => item.name), ['a', 'b (too late)']);
    assert.equal(merge.late, 1);
  });

  it('an ended source holds nothing up; flush hands on the rest in order', () => {
    const { merge, out } = setup();
    merge.end(1);
    merge.end(2);
    merge.push(0, { timeUs: 5, name: 'x' });
    merge.tick();
    assert.deepEqual(out.map((item) => item.name), ['x']);
    merge.push(0, { timeUs: 9, name: 'z' });
    merge.push(1, { timeUs: 7, name: 'y' });
    merge.flush();
    assert.deepEqual(out.map((item) => item.name), ['x', 'y', 'z']);
  });

  it('reads tcpdump’s stamp to the microsecond, which a double of the epoch would not', () => {
    assert.deepEqual(splitTimestamp('1796322944.232287 aa:bb > cc:dd, ethertype IPv4'), { timeUs: 1_796_322_944_232_287, text: 'aa:bb > cc:dd, ethertype IPv4' });
    assert.equal(frameTimeUs({ raw: '1796322944.000001 x', time: 1796322944.000001 }), 1_796_322_944_000_001);
    assert.equal(splitTimestamp('no stamp here'), undefined);
  });
});
