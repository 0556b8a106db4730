// The session's life on a stand-in host: the pool's exec is answered by hand with what the
// remote wrapper and tcpdump print, so every ending can be played exactly.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError, startCapture, type CaptureExec } from '../../../src/capture/captureSession';
import { CAPTURE_WRAPPER, FETCH_SCRIPT, STOP_SCRIPT } from '../../../src/capture/remoteWrapper';
import { CaptureArgumentError } from '../../../src/capture/tcpdumpCommand';
import type { CaptureFrame, CaptureState } from '../../../src/capture/types';
import { SshError } from '../../../src/ssh/errors';
import type { Command } from '../../../src/ssh/pool';
import type { ExecOptions, ExecResult } from '../../../src/ssh/types';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const FOLDER = '/tmp/overlay-lab-capture.Ab12Cd';
const OUTER = '1795632468.738937 26:a0:77:0e:19:53 > ba:dd:5b:89:f3:2f, ethertype IPv4 (0x0800), length 92: 10.213.100.1.58842 > 10.213.100.2.4789: VXLAN, flags [I] (0x08), vni 0';
const INNER = 'e6:41:7f:94:33:00 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.213.50.12 tell 10.213.50.11, length 28';
const PLAIN = '1795632468.278848 2e:91:95:f7:6f:47 > e6:41:7f:94:33:00, ethertype IPv4 (0x0800), length 98: 10.213.50.1 > 10.213.50.11: ICMP echo reply, id 8354, seq 1, length 64';

interface Channel {
  argv: string[];
  options: ExecOptions;
  resolve: (result: ExecResult) => void;
  reject: (error: Error) => void;
}

/** A host whose capture channel we drive by hand; the stop and fetch scripts answer at once. */
class StandInHost implements CaptureExec {
  readonly calls: { host: string; argv: string[]; options: ExecOptions }[] = [];
  channel: Channel | undefined;
  /** What tcpdump does when the supervisor's SIGTERM reaches it (channel EOF). */
  onEof = () => this.tcpdumpEnds(0, 4);
  pcapBytes: Buffer = Buffer.alloc(0);

  exec(host: string, command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    const argv = [...(command as readonly string[])];
    this.calls.push({ host, argv, options });
    if (argv.includes(CAPTURE_WRAPPER)) {
      return new Promise((resolve, reject) => {
        this.channel = { argv, options, resolve, reject };
        options.signal?.addEventListener('abort', () => {
          this.onEof();
          this.close(0, 'aborted');
        });
      });
    }
    if (argv.includes(STOP_SCRIPT)) {
      setTimeout(() => this.tcpdumpEnds(0, 2), 1);
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    }
    if (argv.includes(FETCH_SCRIPT)) {
      options.onStdout?.(this.pcapBytes);
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    }
    throw new Error(`unexpected command ${argv.join(' ')}`);
  }

  stderr(...lines: string[]): void {
    this.channel!.options.onStderr?.(Buffer.from(lines.map((l) => `${l}\n`).join('')));
  }

  stdout(...lines: string[]): void {
    this.channel!.options.onStdout?.(Buffer.from(lines.map((l) => `${l}\n`).join('')));
  }

  start(pcap = false): void {
    if (pcap) this.stderr(`overlay-lab-capture: pcap ${FOLDER}`);
    this.stderr('overlay-lab-capture: pid 4242', 'tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes');
  }

  tcpdumpEnds(status: number, captured: number): void {
    if (status === 0) this.stderr(`${captured} packets captured`, `${captured + 1} packets received by filter`, '0 packets dropped by kernel');
    this.stderr(`overlay-lab-capture: exit ${status}`);
    this.stdout(`overlay-lab-capture: exit ${status}`);
  }

  close(code: number | null, cancelled?: 'aborted'): void {
    const channel = this.channel;
    this.channel = undefined;
    channel?.resolve({ code, stdout: '', stderr: '', cancelled });
  }
}

function capture(host: StandInHost, options: Partial<Parameters<typeof startCapture>[1]> = {}) {
  const frames: CaptureFrame[] = [];
  const states: CaptureState[] = [];
  const session = startCapture(host, {
    host: 'ovs-a',
    interface: 'eth0',
    onFrame: (frame) => frames.push(frame),
    onState: (state) => states.push(state),
    ...options,
  });
  return { session, frames, states };
}

describe('capture session (stand-in host)', () => {
  it('listens, hands on whole frames, and ends at its count with tcpdump’s summary', async () => {
    const host = new StandInHost();
    const { session, frames, states } = capture(host, { count: 2, filter: 'udp port 4789 or icmp' });
    assert.equal(session.state, 'starting');
    assert.deepEqual(host.calls[0].argv.slice(-4), ['-c', '2', '--', 'udp port 4789 or icmp']);
    assert.equal(host.calls[0].options.sudo, undefined, 'not asked for sudo: the pool runs it as the login user');
    assert.ok(!host.calls[0].argv.includes('sudo'), 'sudo, when asked, is the pool’s (it runs the supervisor under sudo), never inside the command');
    assert.ok(host.calls[0].options.signal, 'supervised: the command dies with its channel');
    host.start();
    assert.deepEqual(await session.listening, { interface: 'eth0', linkType: 'EN10MB (Ethernet)' });
    host.stdout(OUTER);
    assert.equal(frames.length, 0, 'the VXLAN outer line waits for its inner line');
    host.stdout(INNER, PLAIN);
    assert.deepEqual(frames.map((f) => [f.class, f.lines]), [['vxlan', 2], ['icmp', 1]]);
    host.tcpdumpEnds(0, 2);
    host.close(0);
    assert.deepEqual(await session.ended, { reason: 'count', stats: { captured: 2, receivedByFilter: 3, droppedByKernel: 0 }, frames: 2 });
    await session.closed;
    assert.deepEqual(states, ['listening', 'ended', 'closed']);
    assert.equal(session.frames, 2);
  });

  it('ends only when both streams are done: frames that trail the summary still count', async () => {
    const host = new StandInHost();
    const { session, frames } = capture(host, { count: 2 });
    host.start();
    host.stdout(PLAIN);
    host.stderr('2 packets captured', 'overlay-lab-capture: exit 0');
    await tick();
    assert.equal(session.state, 'listening');
    host.stdout(PLAIN, 'overlay-lab-capture: exit 0');
    const end = await session.ended;
    assert.equal(end.frames, 2);
    assert.equal(frames.length, 2);
    host.close(0);
  });

  it("rejects `listening` with tcpdump's own words, naming host and interface", async () => {
    const host = new StandInHost();
    const { session } = capture(host, { filter: 'icmp and and' });
    host.stderr('overlay-lab-capture: pid 4242', "tcpdump: can't parse filter expression: syntax error");
    host.tcpdumpEnds(1, 0);
    host.close(1);
    const error = (await session.listening.catch((e: unknown) => e)) as CaptureError;
    assert.ok(error instanceof CaptureError);
    assert.equal(error.reason, 'error');
    assert.equal(error.message, "ovs-a: capture on eth0 failed: tcpdump: can't parse filter expression: syntax error");
    assert.deepEqual(error.tcpdumpMessages, ["tcpdump: can't parse filter expression: syntax error"]);
    assert.equal((await session.closed).reason, 'error');
  });

  it('says when tcpdump is not installed, and when it needs root', async () => {
    const missing = new StandInHost();
    const a = capture(missing);
    missing.stderr('overlay-lab-capture: pid 4242', 'sh: 1: tcpdump: not found');
    missing.tcpdumpEnds(127, 0);
    missing.close(127);
    assert.match((await a.session.ended).message ?? '', /^ovs-a: capture on eth0 failed: tcpdump is not installed on ovs-a/);
    const denied = new StandInHost();
    const b = capture(denied);
    denied.stderr("tcpdump: eth0: You don't have permission to perform this capture on that device", '(socket: Operation not permitted)');
    denied.tcpdumpEnds(1, 0);
    denied.close(1);
    assert.match((await b.session.ended).message ?? '', /permission.*\(capturing needs root: set sudo: true for the host in the lab file\)$/);
  });

  it('stop() without a pcap ends the channel; tcpdump’s summary still arrives', async () => {
    const host = new StandInHost();
    const { session, states } = capture(host);
    host.start();
    await session.listening;
    const end = await session.stop();
    assert.deepEqual(end, { reason: 'stopped', stats: { captured: 4, receivedByFilter: 5, droppedByKernel: 0 }, frames: 0 });
    await session.closed;
    assert.deepEqual(states, ['listening', 'ended', 'closed']);
    assert.equal(host.calls.length, 1, 'no second command');
  });

  it('stop() with a pcap stops only tcpdump; the host keeps the pcap until close()', async () => {
    const host = new StandInHost();
    host.pcapBytes = Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), Buffer.alloc(20), Buffer.alloc(10)]); // a record header cut short
    host.pcapBytes.writeUInt32LE(1, 20);
    const { session } = capture(host, { pcap: true });
    host.start(true);
    await session.listening;
    assert.equal(session.remoteFolder, FOLDER);
    assert.ok(session.pcapAvailable);
    assert.equal((await session.stop()).reason, 'stopped');
    const stop = host.calls[1];
    assert.ok(stop.argv.includes(STOP_SCRIPT));
    assert.equal(stop.argv[stop.argv.length - 1], '4242');
    assert.equal(session.state, 'ended');
    assert.ok(session.pcapAvailable);
    const dir = mkdtempSync(join(tmpdir(), 'olcap-session-'));
    try {
      const summary = await session.savePcap(join(dir, 'out.pcap'));
      assert.deepEqual(summary, { bytes: 24, packets: 0, droppedBytes: 10, linkType: 1 });
      assert.equal(readFileSync(join(dir, 'out.pcap')).length, 24);
      assert.deepEqual(host.calls[2].argv.slice(-1), [FOLDER]);
      host.onEof = () => undefined; // tcpdump is already gone; the wrapper just cleans up
      await session.close();
      assert.equal(session.state, 'closed');
      assert.equal(session.pcapAvailable, false);
      await assert.rejects(session.savePcap(join(dir, 'late.pcap')), /the capture is closed; its pcap is gone from the host/);
      assert.equal(existsSync(join(dir, 'late.pcap')), false, 'a failed save leaves no file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops by itself after `seconds` of listening', async () => {
    const host = new StandInHost();
    const { session } = capture(host, { seconds: 0.05 });
    host.start();
    const end = await session.ended;
    assert.equal(end.reason, 'seconds');
    assert.equal(end.stats?.captured, 4);
  });

  it('reports a dropped connection as such', async () => {
    const host = new StandInHost();
    const { session } = capture(host);
    host.start();
    await session.listening;
    host.channel!.reject(new SshError('connection-lost', 'ovs-a', 'ovs-a: the command ended without an exit status (the connection or sshd went away).'));
    const end = await session.closed;
    assert.equal(end.reason, 'connection-lost');
    assert.match(end.message ?? '', /^ovs-a: capture on eth0: ovs-a: the command ended without an exit status/);
  });

  it('fails `listening` when the host cannot be reached', async () => {
    const host: CaptureExec = { exec: () => Promise.reject(new SshError('connection-refused', 'ovs-a', 'ovs-a: connection refused by 10.0.0.1:22.')) };
    const session = startCapture(host, { host: 'ovs-a', interface: 'eth0' });
    await assert.rejects(session.listening, (error: CaptureError) => error.reason === 'error' && /connection refused/.test(error.message));
  });

  it('is cancelled by its signal, before or after it started', async () => {
    const host = new StandInHost();
    const abort = new AbortController();
    const { session } = capture(host, { signal: abort.signal });
    host.start();
    await session.listening;
    abort.abort();
    assert.equal((await session.closed).reason, 'cancelled');
    const early = new AbortController();
    early.abort();
    const never = capture(new StandInHost(), { signal: early.signal });
    await assert.rejects(never.session.listening, /cancelled before it started/);
    assert.equal(never.session.state, 'closed');
  });

  it('refuses bad options before anything starts', () => {
    const host = new StandInHost();
    assert.throws(() => capture(host, { interface: 'eth0;reboot' }), CaptureArgumentError);
    assert.throws(() => capture(host, { seconds: 0 }), /seconds must be a number above 0/);
    assert.throws(() => capture(host, { count: -3 }), /count must be/);
    assert.equal(host.calls.length, 0);
  });

  it('will not fetch a pcap it was not asked to keep', async () => {
    const host = new StandInHost();
    const { session } = capture(host);
    host.start();
    await assert.rejects(session.fetchPcap(() => undefined), /keeps no pcap/);
    await session.close();
  });
});
