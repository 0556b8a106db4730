// Makes a remote command end with its channel, without a pty and without SSH signals (sshd
// ignores `signal` requests for root sessions: "session signalling requires privilege
// separation"). A small fixed sh script runs the command in its own session (setsid) and
// watches the channel's stdin: when the client sends EOF, closes the channel, or the
// connection drops, stdin ends and the command's whole process group is killed.

import { shellCommand } from '../util/shell';

// $1 is the command line to run (one simple command, as every rendered argument list is); it is
// exec'd, because dash does not exec the last command of `sh -c` itself, and a shell left in
// between would die first on SIGTERM and close the channel before the command had cleaned up.
// The watcher's output goes to /dev/null so that it never holds the channel open after the
// command has ended.
const SUPERVISOR = [
  'exec 3<&0 </dev/null',
  'case "$1" in "exec "*) c=$1 ;; *) c="exec $1" ;; esac',
  'if command -v setsid >/dev/null 2>&1; then setsid sh -c "$c" & else sh -c "$c" & fi',
  'cmd=$!',
  '{ cat <&3; kill -TERM -"$cmd" "$cmd"; sleep 2; kill -KILL -"$cmd" "$cmd"; } >/dev/null 2>&1 &',
  'watch=$!',
  'exec 3<&-',
  'wait "$cmd"; status=$?',
  'kill "$watch" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** The command line that runs `commandLine` under the supervisor. */
export function supervisedCommand(commandLine: string): string {
  return shellCommand(['sh', '-c', SUPERVISOR, 'overlay-lab', commandLine]);
}
