// A stand-in for the SSH pool in unit tests: the state probe and the facts script answer with
// recorded output, and pings answer as a simulated underlay with a given path MTU would. A ping
// the local kernel refuses prints its "local error" at once and then waits, as ping does, until
// the caller ends it; every command is counted so that tests can tell nothing is left running.

import type { ProbeTransport } from '../../../src/hosts/probe';
import { PROBE_SCRIPT } from '../../../src/hosts/probeScript';
import { HOST_FACTS_SCRIPT } from '../../../src/doctor/measure/hostFactsScript';
import { SshError } from '../../../src/ssh/errors';
import type { ExecOptions, ExecResult } from '../../../src/ssh/types';
import type { Command } from '../../../src/ssh/pool';
import { probeText } from '../hosts/fixtures';
import { doctorFixture } from './support';

export interface FakeUnderlay {
  /** Largest IP packet the path carries. */
  pathMtu: number;
  /** The sender's own device MTU, which the kernel names when it refuses. */
  localMtu?: number;
  /** Addresses that answer pings. */
  answering: Set<string>;
  /** Host names that refuse SSH. */
  down?: Set<string>;
  /** Recorded probe per host, default `configured-HOST`. */
  probes?: Record<string, string>;
}

export class FakeHosts implements ProbeTransport {
  readonly commands: { host: string; argv: readonly string[] }[] = [];
  running = 0;

  constructor(private readonly underlay: FakeUnderlay) {}

  async exec(host: string, command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.underlay.down?.has(host)) {
      throw new SshError('connection-refused', host, `${host}: connection refused by ${host}:22. Is sshd running there and listening on port 22?`);
    }
    const argv = 'script' in command ? ['sh', '-e', '-c', command.script] : command;
    this.commands.push({ host, argv });
    if (argv[0] === 'sh' && argv[2] === PROBE_SCRIPT) return done(probeText(this.underlay.probes?.[host] ?? `configured-${host}`));
    if (argv[0] === 'sh' && argv[2] === HOST_FACTS_SCRIPT) return done(doctorFixture(`facts-${host === 'test-b' ? 'test-a' : host}.txt`));
    if (argv[0] === 'ping') return this.ping(argv, options);
    return { code: 127, stdout: '', stderr: `${argv[0]}: not found` };
  }

  private async ping(argv: readonly string[], options: ExecOptions): Promise<ExecResult> {
    const remote = argv[argv.length - 1];
    const size = argv.includes('-s') ? Number(argv[argv.indexOf('-s') + 1]) + 28 : 84;
    const dontFragment = argv.includes('-M');
    this.running += 1;
    try {
      if (!this.underlay.answering.has(remote)) return await this.wait(options, { code: 1, stdout: '2 packets transmitted, 0 received, 100% packet loss', stderr: '' });
      if (dontFragment && this.underlay.localMtu !== undefined && size > this.underlay.localMtu) {
        const said = `ping: local error: message too long, mtu=${this.underlay.localMtu}\n`;
        options.onStderr?.(Buffer.from(said));
        return await this.wait(options, { code: 1, stdout: '1 packets transmitted, 0 received, +1 errors', stderr: said });
      }
      if (dontFragment && size > this.underlay.pathMtu) return await this.wait(options, { code: 1, stdout: '1 packets transmitted, 0 received', stderr: '' });
      return { code: 0, stdout: 'rtt min/avg/max/mdev = 0.400/0.500/0.600/0.100 ms', stderr: '' };
    } finally {
      this.running -= 1;
    }
  }

  /** What ping does when nothing answers: wait out -W (shortened here), unless ended first. */
  private wait(options: ExecOptions, result: ExecResult): Promise<ExecResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(result), 30);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve({ ...result, code: null, cancelled: 'aborted' });
      });
    });
  }
}

function done(stdout: string): ExecResult {
  return { code: 0, stdout, stderr: '' };
}
