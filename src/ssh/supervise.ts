// Makes a remote command end with its channel, without a pty and without SSH signals (sshd
// ignores `signal` requests for root sessions: "session signalling requires privilege
// separation"). A small fixed sh script runs the command in its own session (setsid) and
// watches the channel's stdin: when the client sends EOF, closes the channel, or the
// connection drops, stdin ends and the command's whole process group is killed.
//
// A link that dies silently (a black hole: no FIN, no RST) ends nothing by itself: sshd keeps
// the session until TCP gives up, many minutes later. So the client also writes one byte to
// stdin every HEARTBEAT_INTERVAL_MS, and the supervisor kills the command when none came for
// HEARTBEAT_TIMEOUT_SECONDS: the remote side notices the silence on its own.

import { shellCommand } from '../util/shell';
import { withSudo } from './sudo';

/** How often the client writes a heartbeat byte to a supervised command's stdin. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/**
 * Silence after which the supervisor ends its command. Four missed heartbeats: a busy link
 * may delay one, never that many. With SIGKILL 2 s after SIGTERM, a command on a host whose
 * link went silent is gone within about 22 s.
 */
export const HEARTBEAT_TIMEOUT_SECONDS = 20;
/** The byte the client writes (not a newline: the supervisor reads it with `$(…)`, which strips those). */
export const HEARTBEAT_BYTE = '.';

// $1 is the command line to run (one simple command, as every rendered argument list is); it is
// exec'd, because dash does not exec the last command of `sh -c` itself, and a shell left in
// between would die first on SIGTERM and close the channel before the command had cleaned up.
// $2 is the heartbeat timeout in seconds, 0 for none: then the watcher waits for EOF alone. It
// reads one byte at a time under `timeout` (coreutils and busybox have it; without it, EOF
// alone). The watcher's output goes to /dev/null so that it never holds the channel open after
// the command has ended.
//
// With a pty (a script in the editor's terminal), stdin is the terminal: the supervisor turns
// its echo and line buffering off, so that heartbeat bytes neither show nor wait for a
// newline. Closing the channel then hangs the terminal up: the supervisor passes that on to
// the command (which its own session keeps from the SIGHUP), and the watcher, which ignores
// SIGHUP, reads the end of its input and makes sure.
const SUPERVISOR = [
  'exec 3<&0 </dev/null',
  'if [ -t 3 ]; then stty -echo -icanon min 1 time 0 <&3 2>/dev/null; fi',
  'case "$1" in "exec "*) c=$1 ;; *) c="exec $1" ;; esac',
  'hb=${2:-0}',
  'if command -v setsid >/dev/null 2>&1; then setsid sh -c "$c" & else sh -c "$c" & fi',
  'cmd=$!',
  `trap 'kill -TERM -"$cmd" "$cmd" 2>/dev/null' HUP`,
  '{',
  "  trap '' HUP",
  '  if [ "$hb" != 0 ] && command -v timeout >/dev/null 2>&1; then',
  // GNU timeout puts itself in a process group of its own, where a read from the terminal
  // stops it (SIGTTIN); --foreground keeps it in ours (busybox has no such option, nor does it need one).
  // Asked only with a terminal: it costs two programs' start, on every command.
  '    fg=; if [ -t 3 ] && timeout --foreground 1 true 2>/dev/null; then fg=--foreground; fi',
  '    while b=$(timeout $fg "$hb" head -c 1 <&3) && [ -n "$b" ]; do :; done',
  '  else',
  '    cat <&3',
  '  fi',
  '  kill -TERM -"$cmd" "$cmd"; sleep 2; kill -KILL -"$cmd" "$cmd"',
  '} >/dev/null 2>&1 &',
  'watch=$!',
  'exec 3<&-',
  'wait "$cmd"; status=$?',
  'kill "$watch" 2>/dev/null',
  'exit "$status"',
].join('\n');

export interface SuperviseOptions {
  /** Seconds without a heartbeat byte on stdin before the command is ended; 0 or absent: EOF only. */
  heartbeatSeconds?: number;
  /**
   * Run the supervisor itself with `sudo -n`, so that it may kill what it runs: a user's
   * SIGKILL cannot reach a root process, and a command that ignores SIGTERM would outlive it.
   */
  sudo?: boolean;
}

/** The command line that runs `commandLine` under the supervisor. */
export function supervisedCommand(commandLine: string, options: SuperviseOptions = {}): string {
  const heartbeat = options.heartbeatSeconds ?? 0;
  if (!Number.isSafeInteger(heartbeat) || heartbeat < 0) throw new Error(`supervisedCommand: heartbeatSeconds must be a whole number, not ${heartbeat}`);
  const argv = ['sh', '-c', SUPERVISOR, 'overlay-lab', commandLine];
  if (heartbeat) argv.push(String(heartbeat));
  return options.sudo ? withSudo(shellCommand(argv)) : shellCommand(argv);
}
