import { strict as assert } from 'node:assert';
import type { CaptureBackend, CaptureBatch, CaptureHandle, CaptureRequest, MergedRequest } from '../../../src/views/topology/captureBackend';
import { PanelCaptures } from '../../../src/views/topology/panelCaptures';
import type { CaptureSummary, SourceClock, ToWebview } from '../../../src/webview/protocol';
import { demoLab } from '../views/hostStates';

/** A capture that does what the test says: its events are fired by hand. For these tests only. */
class FakeHandle implements CaptureHandle {
  frames?: (batch: CaptureBatch) => void;
  listening?: () => void;
  error?: (message: string) => void;
  end?: (summary: CaptureSummary) => void;
  clocks?: (clocks: SourceClock[]) => void;
  stopped = 0;
  released = 0;
  saved: string[] = [];
  release() {
    this.released++;
  }
  constructor(
    readonly id: string,
    /** What start() was asked (startMerged's request, for a merged pane). */
    readonly request: CaptureRequest,
  ) {}
  onFrames(listener: (batch: CaptureBatch) => void) {
    this.frames = listener;
  }
  onListening(listener: () => void) {
    this.listening = listener;
  }
  onError(listener: (message: string) => void) {
    this.error = listener;
  }
  onEnd(listener: (summary: CaptureSummary) => void) {
    this.end = listener;
  }
  onClocks(listener: (clocks: SourceClock[]) => void) {
    this.clocks = listener;
  }
  stop() {
    this.stopped++;
    this.end?.({ packets: 0, reason: 'stopped' });
  }
  async savePcap(path: string) {
    this.saved.push(path);
  }
}

class FakeBackend implements CaptureBackend {
  readonly started: FakeHandle[] = [];
  failWith?: string;
  start(request: CaptureRequest): CaptureHandle {
    if (this.failWith) throw new Error(this.failWith);
    const handle = new FakeHandle(`c${this.started.length + 1}`, request);
    this.started.push(handle);
    return handle;
  }
  startMerged(request: MergedRequest): CaptureHandle {
    const handle = new FakeHandle(`m${this.started.length + 1}`, request as unknown as CaptureRequest);
    this.started.push(handle);
    return handle;
  }
}

const lab = demoLab();
const batch = (text: string, packets: number): CaptureBatch => ({ lines: [{ text, class: 'icmp', encapsulated: false }], packets, rate: 1, skipped: 0 });

function setup() {
  const backend = new FakeBackend();
  const posted: ToWebview[] = [];
  const captures = new PanelCaptures(backend, (message) => posted.push(message));
  return { backend, posted, captures };
}

describe("the topology panel's captures", () => {
  it('starts a capture for a pane and forwards its events with the run', () => {
    const { backend, posted, captures } = setup();
    captures.start(lab, 'p1', 'ovs-a', 'eth2', 'icmp');
    const [handle] = backend.started;
    assert.equal(handle.request.lab, lab);
    assert.deepEqual({ host: handle.request.host, iface: handle.request.iface, filter: handle.request.filter }, { host: 'ovs-a', iface: 'eth2', filter: 'icmp' });
    handle.listening!();
    handle.frames!(batch('IP 10.0.0.1 > 10.0.0.2: ICMP echo request', 1));
    handle.error!('tcpdump: warning');
    handle.end!({ packets: 1, reason: 'exit 0' });
    assert.deepEqual(
      posted.map((message) => message.type),
      ['capture-started', 'capture-listening', 'capture-batch', 'capture-error', 'capture-ended'],
    );
    assert.deepEqual(posted[0], { type: 'capture-started', id: 'p1', run: 1, host: 'ovs-a', iface: 'eth2', filter: 'icmp' });
    assert.deepEqual(posted[2], { type: 'capture-batch', id: 'p1', run: 1, lines: { texts: ['IP 10.0.0.1 > 10.0.0.2: ICMP echo request'], kinds: [2], times: [-1] }, packets: 1, rate: 1, skipped: 0 });
    assert.equal(captures.isRunning('p1'), false);
  });

  it('restarts a pane with a new filter: the old capture stops and its late events are dropped', () => {
    const { backend, posted, captures } = setup();
    captures.start(lab, 'p1', 'ovs-a', 'eth2', '');
    const first = backend.started[0];
    assert.equal(captures.setFilter(lab, 'p1', 'arp'), true);
    assert.equal(first.stopped, 1);
    const second = backend.started[1];
    assert.equal(second.request.filter, 'arp');
    assert.equal(second.request.iface, 'eth2');
    first.frames!(batch('late', 9));
    second.frames!(batch('ARP', 1));
    const batches = posted.filter((message) => message.type === 'capture-batch');
    assert.equal(batches.length, 1);
    assert.equal((batches[0] as { run: number }).run, 2);
    // The first run's end (from its stop) is not reported: the pane shows the second run.
    assert.deepEqual(
      posted.filter((message) => message.type === 'capture-ended'),
      [],
    );
  });

  it('ignores a new filter for a pane it does not know', () => {
    const { backend, captures } = setup();
    assert.equal(captures.setFilter(lab, 'p9', 'arp'), false);
    assert.equal(backend.started.length, 0);
  });

  it('stops a pane, keeps its capture for saving, and forgets it when the pane closes', async () => {
    const { backend, posted, captures } = setup();
    captures.start(lab, 'p1', 'ovs-a', 'eth2', '');
    captures.stop('p1');
    assert.equal(backend.started[0].stopped, 1);
    assert.deepEqual(posted.at(-1), { type: 'capture-ended', id: 'p1', run: 1, summary: { packets: 0, reason: 'stopped' } });
    const kept = captures.handle('p1');
    assert.ok(kept);
    await kept.handle.savePcap('/tmp/x.pcap');
    assert.deepEqual(backend.started[0].saved, ['/tmp/x.pcap']);
    captures.stop('p1');
    assert.equal(backend.started[0].stopped, 1, 'a stopped capture is not stopped twice');
    assert.equal(backend.started[0].released, 0, 'the pcap stays on the host while the pane is open');
    captures.close('p1');
    assert.equal(backend.started[0].released, 1, 'closing the pane releases everything on the host');
    assert.equal(captures.handle('p1'), undefined);
  });

  it('stops every capture when the panel goes, and posts nothing after', () => {
    const { backend, posted, captures } = setup();
    captures.start(lab, 'p1', 'ovs-a', 'eth2', '');
    captures.start(lab, 'p2', 'ovs-b', 'eth0', 'udp port 4789');
    captures.dispose();
    assert.deepEqual(backend.started.map((handle) => handle.released), [1, 1]);
    assert.deepEqual(
      backend.started.map((handle) => handle.stopped),
      [1, 1],
    );
    const count = posted.length;
    backend.started[1].frames!(batch('late', 1));
    captures.start(lab, 'p3', 'ovs-a', 'eth2', '');
    assert.equal(posted.length, count);
    assert.equal(backend.started.length, 2);
  });

  it('reports a capture that could not start as an error and an end', () => {
    const { backend, posted, captures } = setup();
    backend.failWith = 'ovs-a: not connected';
    captures.start(lab, 'p1', 'ovs-a', 'eth2', '');
    assert.deepEqual(
      posted.map((message) => message.type),
      ['capture-started', 'capture-error', 'capture-ended'],
    );
    assert.equal((posted[1] as { message: string }).message, 'ovs-a: not connected');
  });

  it('says capture is not available when there is no backend', () => {
    const posted: ToWebview[] = [];
    new PanelCaptures(undefined, (message) => posted.push(message)).start(lab, 'p1', 'ovs-a', 'eth2', '');
    assert.match((posted[1] as { message: string }).message, /not available/);
  });

  it('runs a merged pane over several interfaces: its start names the sources, its clocks and batches carry the run, a filter restarts it merged', () => {
    const { backend, posted, captures } = setup();
    const targets = [{ host: 'test-a', iface: 'eth2' }, { host: 'ovs-b', iface: 'eth2' }];
    captures.startMerged(lab, 'p1', targets, 'icmp');
    const [handle] = backend.started;
    assert.deepEqual(handle.request, { lab, targets, filter: 'icmp' });
    assert.deepEqual(posted[0], { type: 'merged-started', id: 'p1', run: 1, sources: targets, filter: 'icmp' });
    handle.clocks?.([{ host: 'test-a', offsetUs: 12, boundUs: 40 }]);
    handle.frames?.({ lines: [{ text: 'x', class: 'icmp', encapsulated: false, time: 5, source: 1 }], packets: 1, rate: 1, skipped: 0 });
    assert.deepEqual(posted.slice(1).map((m) => m.type), ['merged-clocks', 'capture-batch']);
    assert.deepEqual(posted[2], { type: 'capture-batch', id: 'p1', run: 1, lines: { texts: ['x'], kinds: [2], times: [5], sources: [1] }, packets: 1, rate: 1, skipped: 0 });
    assert.equal(captures.handle('p1')?.merged, targets);
    captures.setFilter(lab, 'p1', 'arp');
    assert.equal(handle.stopped, 1);
    assert.equal(handle.released, 1);
    assert.deepEqual(backend.started[1].request, { lab, targets, filter: 'arp' });
    assert.deepEqual(posted.at(-1), { type: 'merged-started', id: 'p1', run: 2, sources: targets, filter: 'arp' });
  });
});
