// The fixed sh scripts a capture runs on its host. Values reach them only as positional
// arguments ("$1" …), never as script text.
//
// The capture runs under the SSH core's supervisor (ssh/supervise.ts: when the channel's stdin
// ends, because we closed it, the client died or the connection dropped, the whole process
// group gets SIGTERM, then SIGKILL 2 s later). Inside it, CAPTURE_WRAPPER:
//  - makes a private folder (mktemp -d) for the pcap, which tcpdump writes with -U as a ring of
//    two files of MB million bytes each (-C MB -W 2): the host never holds more than 2 × MB;
//  - runs tcpdump in the background, so that a signal to the wrapper is handled at once, and
//    tells the client tcpdump's pid and the folder on stderr (lines starting with MARKER);
//  - when tcpdump ends (count reached, stop() killed it, it failed), says so with its exit
//    status on stderr (after tcpdump's summary) and on stdout (after its last frame) and, with
//    a pcap, keeps the folder until the client lets go (closes the channel) or KEEP seconds pass;
//  - on SIGTERM/HUP/INT (the supervisor), ends tcpdump and removes the folder;
//  - first removes folders of earlier captures whose wrapper no longer exists (killed with
//    SIGKILL before it could clean up), so even that leaves nothing for long.

export const MARKER = 'overlay-lab-capture:';
export const FOLDER_PREFIX = 'overlay-lab-capture.';
/** tcpdump's pcap file in the folder; with -W 2 it writes capture.pcap0 and capture.pcap1. */
export const PCAP_NAME = 'capture.pcap';

// $1: million bytes per pcap file, 0 for no pcap. $2: seconds to keep the pcap after tcpdump
// ends. The rest: tcpdump's arguments.
export const CAPTURE_WRAPPER = [
  'mb=$1 keep=$2; shift 2',
  'dir= tpid= spid= stopping=',
  `say() { printf '${MARKER} %s\\n' "$*" >&2; }`,
  'cleanup() { if [ -n "$dir" ]; then rm -rf "$dir"; dir=; fi; }',
  'on_signal() { stopping=1; if [ -n "$tpid" ]; then kill -TERM "$tpid" 2>/dev/null; fi; if [ -n "$spid" ]; then kill "$spid" 2>/dev/null; fi; }',
  'trap cleanup EXIT',
  'trap on_signal TERM HUP INT',
  'base=${TMPDIR:-/tmp}',
  `for old in "$base"/${FOLDER_PREFIX}*; do`,
  '  [ -f "$old/owner" ] || continue',
  '  owner=$(cat "$old/owner" 2>/dev/null)',
  // Gone, or a zombie that its new parent has not reaped yet: either way it will not clean up.
  '  stat=$(cat "/proc/$owner/stat" 2>/dev/null); state=${stat##*) }; state=${state%% *}',
  '  case "$owner:$state" in',
  '    :*) ;;',
  '    *:|*:Z|*:X) rm -rf "$old" 2>/dev/null ;;',
  '  esac',
  'done',
  'if [ "$mb" != 0 ]; then',
  `  if dir=$(mktemp -d "$base/${FOLDER_PREFIX}XXXXXX"); then`,
  '    echo "$$" > "$dir/owner"',
  // Debian and others drop tcpdump to an unprivileged user before it opens the savefile; as
  // root, stay root so it can write into this root-only folder.
  '    if [ "$(id -u)" = 0 ]; then set -- -Z root "$@"; fi',
  `    set -- -U -w "$dir/${PCAP_NAME}" -C "$mb" -W 2 --print "$@"`,
  '    say "pcap $dir"',
  '  else',
  '    dir=; say "nopcap cannot make a temporary folder"',
  '  fi',
  'fi',
  'tcpdump "$@" &',
  'tpid=$!',
  // A signal that came while we were getting ready ends tcpdump at once.
  'if [ -n "$stopping" ]; then kill -TERM "$tpid" 2>/dev/null; fi',
  // Only now: tcpdump must keep the default SIGPIPE so it dies when its reader is gone, but the
  // wrapper must survive writing to a closed channel long enough to clean up.
  "trap '' PIPE",
  'say "pid $tpid"',
  // 2>/dev/null on wait: dash reports a job killed by a signal ("Terminated") on its stderr,
  // which is the channel, where it would read as something tcpdump said.
  // A trap interrupts wait with 128+signal, possibly after the shell has already reaped
  // tcpdump: once it is gone, wait once more for its real status (dash and bash both keep it;
  // bash says 127 for a pid already waited for).
  'while :; do',
  '  wait "$tpid" 2>/dev/null; status=$?',
  '  kill -0 "$tpid" 2>/dev/null || break',
  'done',
  'wait "$tpid" 2>/dev/null; again=$?',
  'if [ "$again" != 127 ]; then status=$again; fi',
  'tpid=',
  // On both streams: stderr follows tcpdump's summary, stdout follows its last frame, so the
  // client knows it has all of both.
  'say "exit $status"',
  `printf '${MARKER} exit %s\\n' "$status"`,
  'if [ -n "$dir" ] && [ -z "$stopping" ] && [ "$keep" != 0 ]; then',
  '  sleep "$keep" & spid=$!',
  '  wait "$spid" 2>/dev/null',
  '  kill "$spid" 2>/dev/null',
  'fi',
  'exit "$status"',
].join('\n');

// $1: tcpdump's pid, as the wrapper said it. Ends tcpdump (it prints its summary); only a
// tcpdump, so a pid reused meanwhile is left alone.
export const STOP_SCRIPT = [
  'comm=$(cat "/proc/$1/comm" 2>/dev/null) || comm=tcpdump',
  'if [ "$comm" = tcpdump ]; then kill -TERM "$1" 2>/dev/null; fi',
  'exit 0',
].join('\n');

// $1: the capture's folder. Writes its pcap to stdout: the older ring file whole, then the newer
// one without its 24-byte file header (both come from one tcpdump, so the headers are equal).
export const FETCH_SCRIPT = [
  `cd "$1" 2>/dev/null || { echo "the capture's folder $1 is gone" >&2; exit 3; }`,
  `set -- $(ls -tr ${PCAP_NAME}0 ${PCAP_NAME}1 2>/dev/null)`,
  `if [ $# = 0 ]; then echo "no pcap file in $PWD" >&2; exit 3; fi`,
  'cat "$1" || exit 4',
  'if [ $# = 2 ]; then tail -c +25 "$2" || exit 4; fi',
].join('\n');

/** A remote folder as the wrapper names it, and nothing else (the client passes it back to FETCH_SCRIPT). */
export const FOLDER_PATTERN = new RegExp(`^/[A-Za-z0-9_./-]*/${FOLDER_PREFIX.replace('.', '\\.')}[A-Za-z0-9]+$`);

export interface WrapperOptions {
  /** Million bytes per ring file; 0 for no pcap. */
  pcapMegabytes: number;
  /** Seconds the host keeps the pcap after tcpdump ended, waiting for close(). */
  keepSeconds: number;
  /** Run it with `sudo -n`. */
  sudo?: boolean;
}

/**
 * The argument list that runs tcpdump (`tcpdumpArgv`, starting with "tcpdump") under the
 * wrapper. It starts with `exec`: the supervisor runs a command line with `sh -c`, and dash
 * does not exec the last command by itself; the shell in between would die of the supervisor's
 * SIGTERM at once, the supervisor would see its child gone and close the channel while the
 * wrapper is still cleaning up (and print "Terminated" on it). Pass `sudo: false` to the pool:
 * the `sudo -n` is here, after the `exec`.
 */
export function wrapperArgv(tcpdumpArgv: readonly string[], options: WrapperOptions): string[] {
  if (tcpdumpArgv[0] !== 'tcpdump') throw new Error('wrapperArgv: the command must be tcpdump');
  for (const name of ['pcapMegabytes', 'keepSeconds'] as const) {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`wrapperArgv: ${name} must be a whole number, not ${value}`);
  }
  return [
    'exec',
    ...(options.sudo ? ['sudo', '-n'] : []),
    'sh', '-c', CAPTURE_WRAPPER, 'overlay-lab-capture',
    String(options.pcapMegabytes), String(options.keepSeconds), ...tcpdumpArgv.slice(1),
  ];
}

export function stopArgv(pid: number): string[] {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`stopArgv: not a pid: ${pid}`);
  return ['sh', '-c', STOP_SCRIPT, 'overlay-lab-capture-stop', String(pid)];
}

export function fetchArgv(folder: string): string[] {
  if (!FOLDER_PATTERN.test(folder)) throw new Error(`fetchArgv: not a capture folder: ${folder}`);
  return ['sh', '-c', FETCH_SCRIPT, 'overlay-lab-capture-fetch', folder];
}
