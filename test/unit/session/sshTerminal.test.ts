import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { endLine, SshTerminalSession, type ShellChannel, type TerminalSize } from '../../../src/session/sshTerminal';

class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  readonly written: string[] = [];
  readonly windows: string[] = [];
  closed = false;
  write(data: string) {
    this.written.push(data);
    return true;
  }
  setWindow(rows: number, cols: number) {
    this.windows.push(`${rows}x${cols}`);
  }
  close() {
    this.closed = true;
  }
}

function setup(open?: (size: TerminalSize) => Promise<ShellChannel>) {
  const channel = new FakeChannel();
  let resolveOpen!: (channel: ShellChannel) => void;
  const sizes: TerminalSize[] = [];
  const output: string[] = [];
  const closes: (number | undefined)[] = [];
  const session = new SshTerminalSession(
    'ovs-a',
    open ??
      ((size) => {
        sizes.push(size);
        return new Promise((resolve) => (resolveOpen = resolve));
      }),
    { write: (text) => output.push(text), close: (code) => closes.push(code) },
  );
  return { channel, session, sizes, output, closes, open: () => resolveOpen(channel as unknown as ShellChannel) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const plain = (output: string[]) => output.join('').replace(/\x1b\[[0-9;]*m/g, '');

describe('SshTerminalSession', () => {
  it('opens the shell at the terminal size, passes keys typed meanwhile, and shows its output', async () => {
    const { channel, session, sizes, output, open } = setup();
    session.start({ rows: 30, cols: 100 });
    assert.deepEqual(sizes, [{ rows: 30, cols: 100 }]);
    session.input('ls\r');
    open();
    await tick();
    assert.deepEqual(channel.written, ['ls\r']);
    session.input('x');
    assert.deepEqual(channel.written, ['ls\r', 'x']);
    // A character split across two chunks arrives whole.
    const euro = Buffer.from('€\r\n');
    channel.emit('data', euro.subarray(0, 1));
    channel.emit('data', euro.subarray(1));
    channel.stderr.emit('data', Buffer.from('oops'));
    assert.equal(plain(output), 'Connecting to ovs-a…\r\n€\r\noops');
  });

  it('follows the terminal size', async () => {
    const { channel, session, open } = setup();
    session.start();
    session.resize({ rows: 40, cols: 120 });
    open();
    await tick();
    session.resize({ rows: 50, cols: 132 });
    assert.deepEqual(channel.windows, ['40x120', '50x132']);
  });

  it('closes at once after a clean exit', async () => {
    const { channel, session, closes, open } = setup();
    session.start();
    open();
    await tick();
    channel.emit('exit', 0);
    channel.emit('close');
    assert.deepEqual(closes, [0]);
  });

  it('says why otherwise, and closes on the next key with the exit status', async () => {
    const { channel, session, closes, output, open } = setup();
    session.start();
    open();
    await tick();
    channel.emit('exit', 3);
    channel.emit('close');
    assert.match(plain(output), /The shell on ovs-a exited with status 3\.\r\nPress any key to close this terminal\./);
    assert.deepEqual(closes, []);
    session.input('q');
    assert.deepEqual(closes, [3]);
    assert.deepEqual(channel.written, [], 'the key is not sent anywhere');
  });

  it('says the connection closed when the channel goes without an exit status', async () => {
    const { channel, session, output, closes, open } = setup();
    session.start();
    open();
    await tick();
    channel.emit('close');
    assert.match(plain(output), /Connection to ovs-a closed\./);
    session.input(' ');
    assert.deepEqual(closes, [1]);
  });

  it('shows why the shell could not be opened', async () => {
    const { session, output, closes } = setup(() => Promise.reject(new Error('ovs-a: connection refused by 10.0.0.1:22.')));
    session.start();
    await tick();
    assert.match(plain(output), /ovs-a: connection refused by 10\.0\.0\.1:22\.\r\nPress any key/);
    session.input('x');
    assert.deepEqual(closes, [1]);
  });

  it('closes the channel when the terminal is closed, even one still opening', async () => {
    const first = setup();
    first.session.start();
    first.open();
    await tick();
    first.session.closedByUser();
    assert.equal(first.channel.closed, true);
    first.channel.emit('close');
    assert.deepEqual(first.closes, [], 'the terminal is gone already');

    const second = setup();
    second.session.start();
    second.session.closedByUser();
    second.open();
    await tick();
    assert.equal(second.channel.closed, true);
  });

  it('words the end of a session', () => {
    assert.equal(endLine('h', undefined), 'Connection to h closed.');
    assert.equal(endLine('h', { code: null, signal: 'KILL' }), 'The shell on h was ended by signal KILL.');
    assert.equal(endLine('h', { code: 1 }), 'The shell on h exited with status 1.');
  });
});
