// The remote scripts, run here by a local sh under the SSH core's real supervisor, with a
// stand-in tcpdump on the PATH: the shell logic (markers, cleanup, linger, sweep, fetch, stop)
// without a network. The integration tests run them on the test lab's hosts with the real one.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FETCH_SCRIPT, STOP_SCRIPT, wrapperArgv } from '../../../src/capture/remoteWrapper';
import { supervisedCommand } from '../../../src/ssh/supervise';
import { renderCommand } from '../../../src/ssh/pool';

// Says it listens, writes a pcap file where -w points (as -W 2 names it), prints one line per
// 20 ms; -c N ends after N lines; SIGTERM prints the summary and exits 0, as tcpdump does.
const FAKE_TCPDUMP = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_ARGS"
count=0 file=
while [ $# -gt 0 ]; do
  case "$1" in
    -c) count=$2; shift ;;
    -w) file=$2; shift ;;
  esac
  shift
done
n=0
summary() { echo "$n packets captured" >&2; echo "$n packets received by filter" >&2; echo "0 packets dropped by kernel" >&2; }
trap 'summary; exit 0' TERM
[ -n "$file" ] && printf 'pcap-bytes' > "\${file}0"
echo "listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes" >&2
while :; do
  n=$((n + 1))
  echo "1700000000.$(printf %06d $n) aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, ethertype IPv4 (0x0800), length 98: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq $n, length 64"
  if [ "$count" != 0 ] && [ "$n" -ge "$count" ]; then summary; exit 0; fi
  sleep 0.02 & wait $!
done
`;

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

describe('capture wrapper (run by a local sh, stand-in tcpdump)', function () {
  this.timeout(20_000);
  let work: string;
  let bin: string;
  let tmp: string;
  let argsFile: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'olcap-unit-'));
    bin = join(work, 'bin');
    tmp = join(work, 'tmp');
    argsFile = join(work, 'args');
    mkdirSync(bin);
    mkdirSync(tmp);
    writeFileSync(join(bin, 'tcpdump'), FAKE_TCPDUMP);
    chmodSync(join(bin, 'tcpdump'), 0o755);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function start(options: { pcapMegabytes: number; keepSeconds: number; count?: number; filter?: string }): Run {
    const tcpdump = ['tcpdump', '-l', '-n', '-e', '-tt', '-i', 'eth0', ...(options.count ? ['-c', String(options.count)] : []), ...(options.filter ? ['--', options.filter] : [])];
    const line = supervisedCommand(renderCommand(wrapperArgv(tcpdump, options)));
    const child = spawn('sh', ['-c', line], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp, FAKE_ARGS: argsFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const run: Run = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
    child.stdout!.on('data', (chunk) => (run.stdout += chunk));
    child.stderr!.on('data', (chunk) => (run.stderr += chunk));
    return run;
  }

  async function until(what: string, test: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The stand-in tcpdumps of this test (their command line holds its folder). */
  function fakeTcpdumps(): number[] {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(bin);
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  const folders = () => readdirSync(tmp).filter((name) => name.startsWith('overlay-lab-capture.'));

  it('says where the pcap is and whom to stop, hands tcpdump the filter as one word, and cleans up when the channel ends', async () => {
    const run = start({ pcapMegabytes: 5, keepSeconds: 60, filter: 'icmp or arp' });
    await until('two frames', () => run.stdout.split('\n').length > 2);
    const folder = /overlay-lab-capture: pcap (\S+)/.exec(run.stderr)?.[1];
    assert.ok(folder && folder.startsWith(`${tmp}/overlay-lab-capture.`), run.stderr);
    assert.match(run.stderr, /overlay-lab-capture: pid \d+/);
    assert.ok(existsSync(join(folder, 'capture.pcap0')));
    const args = readFileSync(argsFile, 'utf8').trimEnd().split('\n');
    assert.deepEqual(args.slice(-3), ['eth0', '--', 'icmp or arp']);
    assert.deepEqual(args.slice(0, 7), ['-U', '-w', `${folder}/capture.pcap`, '-C', '5', '-W', '2']);
    if (process.getuid?.() === 0) assert.ok(args.includes('-Z') && args[args.indexOf('-Z') + 1] === 'root');
    run.child.stdin!.end(); // what the client does to stop: EOF on the channel
    assert.equal(await run.exited, 0, "tcpdump's own status (0: it ends cleanly on SIGTERM), not the wrapper's 143");
    assert.match(run.stderr, /\d+ packets captured/, "tcpdump's summary comes through");
    assert.match(run.stderr, /overlay-lab-capture: exit 0/);
    assert.deepEqual(folders(), []);
    await until('no tcpdump left', () => fakeTcpdumps().length === 0);
  });

  it('after tcpdump ends on its own, keeps the pcap until the channel ends', async () => {
    const run = start({ pcapMegabytes: 5, keepSeconds: 60, count: 3 });
    await until('the exit marker on stdout', () => /^overlay-lab-capture: exit 0$/m.test(run.stdout));
    assert.equal(run.stdout.trimEnd().split('\n').length, 4, 'three frames, then the marker');
    assert.match(run.stderr, /3 packets captured\n3 packets received by filter\n0 packets dropped by kernel\noverlay-lab-capture: exit 0/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(folders().length, 1, 'the pcap is kept');
    run.child.stdin!.end();
    assert.equal(await run.exited, 0);
    assert.deepEqual(folders(), []);
    assert.doesNotMatch(run.stderr, /Terminated/);
  });

  it('keeps the pcap no longer than it was told', async () => {
    const run = start({ pcapMegabytes: 5, keepSeconds: 1, count: 1 });
    assert.equal(await run.exited, 0);
    assert.deepEqual(folders(), []);
  });

  it('without a pcap, ends with tcpdump and passes its exit status', async () => {
    writeFileSync(join(bin, 'tcpdump'), "#!/bin/sh\necho \"tcpdump: can't parse filter expression: syntax error\" >&2\nexit 1\n");
    const run = start({ pcapMegabytes: 0, keepSeconds: 60, filter: 'icmp and and' });
    assert.equal(await run.exited, 1);
    assert.match(run.stderr, /^tcpdump: can't parse filter expression: syntax error$/m);
    assert.match(run.stderr, /overlay-lab-capture: exit 1/);
    assert.doesNotMatch(run.stderr, /overlay-lab-capture: pcap/);
    assert.deepEqual(folders(), []);
  });

  it('removes folders whose wrapper was killed outright, and leaves live ones alone', async () => {
    const dead = join(tmp, 'overlay-lab-capture.dead01');
    const live = join(tmp, 'overlay-lab-capture.live01');
    const foreign = join(tmp, 'overlay-lab-capture.noowner');
    for (const folder of [dead, live, foreign]) mkdirSync(folder);
    writeFileSync(join(dead, 'owner'), '2147483646\n'); // above pid_max: no such process
    writeFileSync(join(live, 'owner'), `${process.pid}\n`);
    const run = start({ pcapMegabytes: 0, keepSeconds: 0, count: 1 });
    assert.equal(await run.exited, 0);
    assert.deepEqual(folders().sort(), ['overlay-lab-capture.live01', 'overlay-lab-capture.noowner']);
  });

  it('fetches the ring oldest first, the second file without its header', async () => {
    const folder = join(tmp, 'overlay-lab-capture.fetch1');
    mkdirSync(folder);
    const header = Buffer.alloc(24, 0xaa);
    writeFileSync(join(folder, 'capture.pcap0'), Buffer.concat([header, Buffer.from('NEWER')]));
    writeFileSync(join(folder, 'capture.pcap1'), Buffer.concat([header, Buffer.from('OLDER')]));
    utimesSync(join(folder, 'capture.pcap1'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const out = await new Promise<Buffer>((resolve) => {
      const child = spawn('sh', ['-c', FETCH_SCRIPT, 'fetch', folder]);
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('close', () => resolve(Buffer.concat(chunks)));
    });
    assert.ok(out.equals(Buffer.concat([header, Buffer.from('OLDER'), Buffer.from('NEWER')])));
    const gone = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn('sh', ['-c', FETCH_SCRIPT, 'fetch', join(tmp, 'overlay-lab-capture.none')]);
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('close', (code) => resolve({ code, err }));
    });
    assert.equal(gone.code, 3);
    assert.match(gone.err, /is gone/);
  });

  it('stops only a tcpdump', async () => {
    const sleeper = spawn('sleep', ['30']);
    const stop = (pid: number) => new Promise((resolve) => spawn('sh', ['-c', STOP_SCRIPT, 'stop', String(pid)]).on('close', resolve));
    await stop(sleeper.pid!);
    assert.equal(sleeper.exitCode, null);
    assert.equal(sleeper.signalCode, null, 'a process that is not tcpdump is left alone');
    sleeper.kill();
    const run = start({ pcapMegabytes: 5, keepSeconds: 60 });
    await until('the pid', () => /pid \d+/.test(run.stderr));
    const pid = Number(/overlay-lab-capture: pid (\d+)/.exec(run.stderr)![1]);
    await stop(pid);
    await until('the exit marker', () => /overlay-lab-capture: exit 0/.test(run.stderr));
    assert.match(run.stderr, /packets captured/);
    assert.equal(folders().length, 1, 'stopping tcpdump keeps the pcap');
    run.child.stdin!.end();
    await run.exited;
    assert.deepEqual(folders(), []);
  });
});
