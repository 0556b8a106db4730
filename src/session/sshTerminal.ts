// An interactive shell on a lab host, over the host's pooled connection, for an editor terminal.
// Plain Node: the editor adapter feeds it keystrokes and sizes and shows what it writes. The
// shell's channel closes when the terminal does; the terminal closes when the channel does,
// at once after a clean `exit`, otherwise after saying why and waiting for a key.

/** What it needs of an ssh2 ClientChannel. */
export interface ShellChannel {
  write(data: string): unknown;
  setWindow(rows: number, cols: number, height: number, width: number): unknown;
  close(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal?: string) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
}

export interface TerminalSize {
  rows: number;
  cols: number;
}

export interface TerminalSink {
  write(text: string): void;
  /** Ends the terminal; a code other than 0 says the session did not end cleanly. */
  close(code?: number): void;
}

export type OpenShell = (size: TerminalSize) => Promise<ShellChannel>;

const DEFAULT_SIZE: TerminalSize = { rows: 24, cols: 80 };
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/** The line shown when the shell ends other than by a clean exit. */
export function endLine(host: string, exit: { code: number | null; signal?: string } | undefined): string {
  if (!exit) return `Connection to ${host} closed.`;
  if (exit.signal) return `The shell on ${host} was ended by signal ${exit.signal}.`;
  return `The shell on ${host} exited with status ${exit.code ?? 'unknown'}.`;
}

export class SshTerminalSession {
  private channel: ShellChannel | undefined;
  private size: TerminalSize = DEFAULT_SIZE;
  /** Keys typed before the shell was open. */
  private typedAhead = '';
  private phase: 'idle' | 'opening' | 'open' | 'waitingForKey' | 'closed' = 'idle';
  private exitCode = 0;

  constructor(
    private readonly host: string,
    private readonly openShell: OpenShell,
    private readonly sink: TerminalSink,
  ) {}

  start(size?: TerminalSize): void {
    if (this.phase !== 'idle') return;
    if (size) this.size = size;
    this.phase = 'opening';
    this.sink.write(`${DIM}Connecting to ${this.host}…${RESET}\r\n`);
    this.openShell(this.size).then(
      (channel) => this.opened(channel),
      (error: Error) => {
        if (this.phase === 'closed') return;
        this.sink.write(`${RED}${error.message.replace(/\r?\n/g, '\r\n')}${RESET}\r\n`);
        this.waitForKey(1);
      },
    );
  }

  input(data: string): void {
    if (this.phase === 'waitingForKey') return this.finish(this.exitCode);
    if (this.phase === 'opening') this.typedAhead += data;
    else if (this.phase === 'open') this.channel?.write(data);
  }

  resize(size: TerminalSize): void {
    this.size = size;
    if (this.phase === 'open') this.channel?.setWindow(size.rows, size.cols, 0, 0);
  }

  /** The user closed the terminal: the shell's channel goes with it. */
  closedByUser(): void {
    const channel = this.channel;
    this.phase = 'closed';
    this.channel = undefined;
    channel?.close();
  }

  private opened(channel: ShellChannel): void {
    if (this.phase === 'closed') {
      channel.close();
      return;
    }
    this.channel = channel;
    this.phase = 'open';
    const stdout = new TextDecoder('utf-8');
    const stderr = new TextDecoder('utf-8');
    let exit: { code: number | null; signal?: string } | undefined;
    channel.on('data', (chunk) => this.sink.write(stdout.decode(chunk, { stream: true })));
    channel.stderr.on('data', (chunk) => this.sink.write(stderr.decode(chunk, { stream: true })));
    channel.on('exit', (code, signal) => (exit = { code, signal: signal ?? undefined }));
    channel.on('close', () => {
      if (this.phase !== 'open') return;
      this.channel = undefined;
      if (exit && exit.code === 0 && !exit.signal) return this.finish(0);
      this.sink.write(`\r\n${DIM}${endLine(this.host, exit)}${RESET}\r\n`);
      this.waitForKey(exit?.code ?? 1);
    });
    channel.setWindow(this.size.rows, this.size.cols, 0, 0);
    if (this.typedAhead) channel.write(this.typedAhead);
    this.typedAhead = '';
  }

  private waitForKey(code: number): void {
    this.exitCode = code;
    this.phase = 'waitingForKey';
    this.sink.write(`${DIM}Press any key to close this terminal.${RESET}\r\n`);
  }

  private finish(code: number): void {
    this.phase = 'closed';
    this.sink.close(code);
  }
}
