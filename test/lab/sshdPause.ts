// A host that answers late, for real and reversibly: its sshd listener is stopped (SIGSTOP), so a
// new connection is accepted by the kernel but gets no SSH banner until the listener is continued
// (SIGCONT). Sessions already open are their own processes and carry on. The pause ends on its
// own after `maxMs`, before a client's connect timeout would turn "late" into "unreachable", and
// when the process exits; a stopped sshd would not even hear the lab's teardown.

import { readFile } from 'node:fs/promises';
import type { TestLab } from './testlab';

/** The process's state letter (`T` when stopped), or undefined when it is gone. */
async function processState(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last `)`.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

export class SshdPause {
  /** Whether the time limit continued it (rather than `resume()`). */
  timedOut = false;
  private timer?: NodeJS.Timeout;
  private continued = false;
  private readonly onExit = () => this.continueNow();

  private constructor(
    readonly host: string,
    readonly pid: number,
  ) {}

  /** Stops `host`'s sshd listener; it is continued by `resume()`, or after `maxMs` at the latest. */
  static async pause(lab: TestLab, host: string, maxMs: number): Promise<SshdPause> {
    const pid = await lab.sshdPid(host);
    if (pid === undefined) throw new Error(`${host}: no sshd listener to pause`);
    const pause = new SshdPause(host, pid);
    process.kill(pid, 'SIGSTOP');
    process.on('exit', pause.onExit);
    pause.endWithin(maxMs);
    await pause.waitState((state) => state === 'T', 'stop');
    return pause;
  }

  /** Sets the time limit anew: the listener is continued `ms` from now at the latest. */
  endWithin(ms: number): void {
    if (this.continued) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.continueNow();
    }, ms);
  }

  /** Continues the listener and checks that it runs again. Safe to call more than once. */
  async resume(): Promise<void> {
    this.continueNow();
    await this.waitState((state) => state !== 'T', 'run again after SIGCONT');
  }

  private async waitState(done: (state: string | undefined) => boolean, what: string): Promise<void> {
    for (let i = 0; !done(await processState(this.pid)); i++) {
      if (i >= 50) {
        this.continueNow();
        throw new Error(`${this.host}: sshd ${this.pid} did not ${what} within 1 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private continueNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    process.off('exit', this.onExit);
    if (this.continued) return;
    this.continued = true;
    try {
      process.kill(this.pid, 'SIGCONT');
    } catch {
      // gone already (the lab was torn down)
    }
  }
}
