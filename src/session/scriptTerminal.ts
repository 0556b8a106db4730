// A lab script's run in an editor terminal, for "Run Script" and for tasks. Plain Node: the
// editor adapter hands it the run and shows what it writes. Every host's lines stream as they
// come (scriptTerminalText.ts formats them); Ctrl+C, or closing the terminal, cancels the run,
// which ends the remote processes. At the end, a line per host and one for the run; then the
// terminal closes with 0 when every host succeeded, 1 otherwise: at once for a task (the task
// system keeps its terminal open), after a key for a terminal of our own.

import type { ScriptHostResult, ScriptRunOptions, ScriptRunResult } from '../scripts/runLabScript';
import type { TerminalSink } from './sshTerminal';
import { DIM, formatLine, headerLine, hostPrefix, hostSummaryLine, RED, RESET, runExitCode, runSummaryLine, terminalText, YELLOW } from './scriptTerminalText';

/** A run ready to start: its script, the hosts it targets, and how to start it. */
export interface ScriptRun {
  script: string;
  hosts: string[];
  start(options: Pick<ScriptRunOptions, 'signal' | 'onLine'>): Promise<ScriptRunResult>;
}

/** Finds the lab, its pool, the script; throws an Error whose message the terminal shows. */
export type PrepareScriptRun = () => ScriptRun | Promise<ScriptRun>;

export interface ScriptTerminalOptions {
  /** Wait for a key before closing (a terminal of our own); a task's closes at once. */
  waitForKey: boolean;
}

const CTRL_C = '\x03';

export class ScriptTerminalSession {
  private readonly abort = new AbortController();
  private phase: 'idle' | 'running' | 'waitingForKey' | 'closed' = 'idle';
  private exitCode = 1;
  private cancelledByUser = false;

  constructor(
    private readonly prepare: PrepareScriptRun,
    private readonly sink: TerminalSink,
    private readonly options: ScriptTerminalOptions,
  ) {}

  start(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'running';
    void (async () => {
      let run: ScriptRun;
      try {
        run = await this.prepare();
      } catch (error) {
        this.write(`${RED}${terminalText((error as Error).message)}${RESET}\r\n`);
        return this.end(1);
      }
      await this.run(run);
    })();
  }

  /** Ctrl+C cancels a running script; any key closes a finished one (when it waits for one). */
  input(data: string): void {
    if (this.phase === 'waitingForKey') return this.finish();
    if (this.phase === 'running' && data.includes(CTRL_C)) this.cancel();
  }

  /** The user closed the terminal (or terminated the task): the run stops on every host. */
  closedByUser(): void {
    this.phase = 'closed';
    this.abort.abort();
  }

  private cancel(): void {
    if (this.abort.signal.aborted) return;
    this.cancelledByUser = true;
    this.write(`^C\r\n${YELLOW}Stopping the script on the hosts…${RESET}\r\n`);
    this.abort.abort();
  }

  private async run(run: ScriptRun): Promise<void> {
    if (run.hosts.length === 0) {
      this.write(`${YELLOW}${run.script} runs on no host here: nothing to do.${RESET}\r\n`);
      return this.end(1);
    }
    this.write(headerLine(run.script, run.hosts));
    const attributes = new Map<string, string>();
    let result: ScriptRunResult;
    try {
      result = await run.start({
        signal: this.abort.signal,
        onLine: (host, _stream, line) => {
          const formatted = formatLine(hostPrefix(host, run.hosts), line, attributes.get(host));
          attributes.set(host, formatted.attributes);
          this.write(formatted.text);
        },
      });
    } catch (error) {
      this.write(`${RED}${terminalText((error as Error).message)}${RESET}\r\n`);
      return this.end(1);
    }
    // In the order of the targets, whatever order they ended in.
    const results = run.hosts.map((host) => result.hosts.find((hostResult) => hostResult.host === host)).filter((hostResult): hostResult is ScriptHostResult => !!hostResult);
    this.write('\r\n');
    for (const hostResult of results) this.write(hostSummaryLine(hostResult, run.hosts));
    this.write(runSummaryLine(run.script, results, this.cancelledByUser));
    this.end(runExitCode(results));
  }

  private end(code: number): void {
    if (this.phase === 'closed') return;
    this.exitCode = code;
    if (!this.options.waitForKey) return this.finish();
    this.phase = 'waitingForKey';
    this.write(`${DIM}Press any key to close this terminal.${RESET}\r\n`);
  }

  private finish(): void {
    this.phase = 'closed';
    this.sink.close(this.exitCode);
  }

  private write(text: string): void {
    if (this.phase !== 'closed') this.sink.write(text);
  }
}
