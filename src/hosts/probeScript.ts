// The one script that reads a host's state in one round trip (architecture rule 3). It is fixed
// text: nothing from the lab file goes into it, so nothing needs quoting. Each command runs in
// its own section with its own exit status and stderr, so one failing command (no Open vSwitch,
// a stopped daemon) never hides what the others found.
//
// Output, for each section that ran:
//
//   @@overlay-lab-probe begin NAME
//   <the command's stdout, exactly>
//   @@overlay-lab-probe end NAME STATUS
//   <the command's stderr, if any>
//
// The end marker is always preceded by a newline of its own, so the stdout is the text between
// the begin line and that newline, byte for byte.

/** The marker every section line starts with; no command we run prints it. */
export const PROBE_MARKER = '@@overlay-lab-probe';

/**
 * Bumped when sections change meaning, so a parser can tell old recordings apart. Format 2: the
 * `ovsdb` section is left out when no ovsdb-server runs and no database socket can be seen (see
 * `ovsdb_reachable`); format 1 always ran it.
 */
export const PROBE_FORMAT = 2;

/** The sections the parser knows, in the order the script runs them. */
export const PROBE_SECTIONS = [
  'kernel',
  'hostname',
  'os_release',
  'ovs_vsctl_path',
  'ovs_conf_db',
  'ovsdb_server',
  'ovs_vswitchd',
  'ovsdb',
  'ovs_vsctl_version',
  'ip_link',
  'ip_addr',
] as const;

export type ProbeSectionName = (typeof PROBE_SECTIONS)[number];

/** Seconds ovs-vsctl waits for a database that accepts the connection but does not answer. */
export const OVSDB_TIMEOUT_SECONDS = 3;

/**
 * The shell every sectioned script starts with (the probe, the doctor's host facts): sbin on the
 * PATH, a C locale, and `section NAME CMD...`, which prints the command's output between begin
 * and end lines with its exit status, its stderr after.
 */
export const SECTION_PRELUDE = `# ip and the OVS daemons live in sbin, which a non-root PATH may lack.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
export PATH LC_ALL=C
exec 3>&1
# The command's stdout goes straight to ours (fd 3); its stderr is kept and printed after the end line.
section() {
  name=$1
  shift
  printf '%s begin %s\\n' "$M" "$name"
  err=$("$@" 2>&1 >&3 3>&-)
  rc=$?
  printf '\\n%s end %s %s\\n' "$M" "$name" "$rc"
  [ -z "$err" ] || printf '%s\\n' "$err"
}
`;

export const PROBE_SCRIPT = `M='${PROBE_MARKER}'
printf '%s format ${PROBE_FORMAT}\\n' "$M"
${SECTION_PRELUDE}# Builtins where a file says it all: every fork is a millisecond on a busy host.
kernel() {
  read -r v < /proc/sys/kernel/osrelease && echo "$v" || uname -r
}
host_name() {
  read -r v < /proc/sys/kernel/hostname && echo "$v" || uname -n
}
os_release() {
  f=/etc/os-release
  [ -r "$f" ] || f=/usr/lib/os-release
  while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done < "$f"
}
# Whether Open vSwitch ever ran here: it creates its database when it first starts.
conf_db() {
  f=\${OVS_DBDIR:-/etc/openvswitch}/conf.db
  [ -e "$f" ] && echo "$f" || { echo "no $f" >&2; return 1; }
}
# Whether a daemon runs, from its pid file: in a host's own /run/openvswitch, unlike pgrep, which
# would also see other hosts' daemons where hosts share a process table (containers, the test
# lab). Shell builtins only. A zombie counts as dead.
# The folders Open vSwitch may keep its pid files and database socket in: packaged builds use
# /run/openvswitch (/var/run is a link to /run on current systems), builds from source
# /usr/local/var/run/openvswitch; OVS_RUNDIR comes first, as it overrides both for OVS itself
# (a folder name with a space in it is not supported here).
RUNDIRS="/run/openvswitch /var/run/openvswitch /usr/local/var/run/openvswitch"
[ -z "\${OVS_RUNDIR:-}" ] || RUNDIRS="$OVS_RUNDIR $RUNDIRS"
daemon_pid() {
  f=
  for d in $RUNDIRS; do
    [ -e "$d/$1.pid" ] && { f=$d/$1.pid; break; }
  done
  [ -n "$f" ] || { echo "no pid file $1.pid in $RUNDIRS" >&2; return 1; }
  [ -r "$f" ] || { echo "pid file $f cannot be read" >&2; return 1; }
  read -r pid < "$f"
  case $pid in ''|*[!0-9]*) echo "$f holds no pid" >&2; return 1;; esac
  [ -r "/proc/$pid/stat" ] && read -r stat < "/proc/$pid/stat" || { echo "process $pid of $f is gone" >&2; return 1; }
  comm=\${stat#*(}
  comm=\${comm%%)*}
  state=\${stat##*) }
  state=\${state%% *}
  [ "$comm" = "$1" ] || { echo "process $pid of $f is $comm, not $1" >&2; return 1; }
  case $state in Z|X) echo "process $pid of $f has exited" >&2; return 1;; esac
  echo "$pid"
}
# Whether ovs-vsctl might reach a database though no ovsdb-server pid file was found: a socket in
# one of the folders, or a folder this login cannot search (then nothing can be told, and
# ovs-vsctl is run, to say why in its own words).
ovsdb_reachable() {
  for d in $RUNDIRS; do
    [ -S "$d/db.sock" ] && return 0
    [ -d "$d" ] && [ ! -x "$d" ] && return 0
  done
  return 1
}
section kernel kernel
section hostname host_name
section os_release os_release
section ovs_vsctl_path command -v ovs-vsctl
section ovs_conf_db conf_db
section ovsdb_server daemon_pid ovsdb-server
server_rc=$rc
section ovs_vswitchd daemon_pid ovs-vswitchd
if command -v ovs-vsctl >/dev/null 2>&1; then
  # With no ovsdb-server running and no socket to reach one, ovs-vsctl can only fail, and it
  # is the probe's dearest command (about 6 ms a run on the test lab's hosts): then it is not run,
  # and the sections above already say why Open vSwitch cannot be read.
  if [ "$server_rc" = 0 ] || ovsdb_reachable; then
    # One invocation is one transaction: the four tables agree on every UUID.
    section ovsdb ovs-vsctl --format=json --timeout=${OVSDB_TIMEOUT_SECONDS} list Open_vSwitch -- list Bridge -- list Port -- list Interface
  else
    rc=1
  fi
  # The version of the installed tools, for when the database cannot say ($rc is the status of
  # the section just run).
  [ "$rc" = 0 ] || section ovs_vsctl_version ovs-vsctl --version
fi
section ip_link ip -j -d -s link show
section ip_addr ip -j addr show
`;
