// The doctor's one extra round trip per host: the host's clock, the openvswitch kernel module,
// the datapaths ovs-vswitchd offers, and the warnings and errors at the end of its log. Fixed
// text (nothing from the lab file), in the state probe's section format so that the same
// splitter reads it (src/hosts/probeSections.ts). Bounded: the log is read through `tail -n`,
// and at most LOG_KEEP of its warning lines, each cut to LOG_LINE_CHARS, come back.

import { PROBE_MARKER, SECTION_PRELUDE } from '../../hosts/probeScript';

export const LOG_TAIL_LINES = 2000;
export const LOG_KEEP = 400;
export const LOG_LINE_CHARS = 1500;

export const HOST_FACTS_SCRIPT = `M='${PROBE_MARKER}'
printf '%s format 1\\n' "$M"
${SECTION_PRELUDE}# loaded: in the running kernel; builtin: compiled in; loadable: modprobe would load it.
ovs_module() {
  if [ -d /sys/module/openvswitch ]; then echo loaded; return; fi
  r=$(uname -r)
  if grep -qs '/openvswitch\\.ko' "/lib/modules/$r/modules.builtin"; then echo builtin; return; fi
  if grep -qs '/openvswitch\\.ko' "/lib/modules/$r/modules.dep"; then echo loadable; return; fi
  echo absent
}
# The file name, then the warnings and errors of its last ${LOG_TAIL_LINES} lines (the newest
# ${LOG_KEEP}, each cut to ${LOG_LINE_CHARS} characters), then "lines READ MATCHED".
vswitchd_log() {
  f=\${OVS_LOGDIR:-/var/log/openvswitch}/ovs-vswitchd.log
  [ -r "$f" ] || { echo "cannot read $f" >&2; return 1; }
  echo "$f"
  tail -n ${LOG_TAIL_LINES} "$f" | awk -v keep=${LOG_KEEP} -v width=${LOG_LINE_CHARS} '
    /[|](WARN|ERR|EMER)[|]/ { buf[n % keep] = substr($0, 1, width); n++ }
    END { s = n > keep ? n - keep : 0; for (i = s; i < n; i++) print buf[i % keep]; print "lines " NR " " n + 0 }'
}
section now date -u +%Y-%m-%dT%H:%M:%SZ
section ovs_module ovs_module
if command -v ovs-vsctl >/dev/null 2>&1; then
  section datapath_types ovs-vsctl --timeout=3 get Open_vSwitch . datapath_types
fi
section vswitchd_log vswitchd_log
`;
