// A bridge's OpenFlow rules as `ovs-ofctl dump-flows BR` prints them, and which of them moved
// between two readings: a rule whose n_packets grew while the probe crossed is a rule the probe
// hit. The trace (where a frame stopped) and the doctor (rules that drop on a lab bridge) read
// them with these same functions.
//
//  cookie=0x0, duration=2.5s, table=0, n_packets=3, n_bytes=294, priority=100,icmp,nw_dst=10.213.50.12 actions=drop

export interface FlowRule {
  table: number;
  /** The match as printed, with its priority (`priority=100,icmp,nw_dst=10.213.50.12`). */
  match: string;
  actions: string;
  packets: number;
  /** The rule drops what it matches: `actions=drop`, or no action at all. */
  drops: boolean;
}

export function parseFlows(text: string): FlowRule[] {
  const rules: FlowRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const at = line.indexOf(' actions=');
    if (!line.startsWith('cookie=') || at < 0) continue;
    const parts = line.slice(0, at).split(', ');
    const field = (name: string) => parts.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
    const match = parts[parts.length - 1];
    const actions = line.slice(at + ' actions='.length).trim();
    rules.push({ table: Number(field('table') ?? 0), match: /^(cookie|duration|table|n_packets|n_bytes|idle_age|hard_age)=/.test(match) ? '' : match, actions, packets: Number(field('n_packets') ?? 0), drops: actions === 'drop' || actions === '' });
  }
  return rules;
}

export const flowText = (rule: FlowRule): string => `table=${rule.table} ${rule.match || '(any)'} actions=${rule.actions}`;

export interface MovedFlow {
  rule: FlowRule;
  before: number;
  after: number;
}

/** The rules whose n_packets grew from `before` to `after` (matched by table, match and actions). */
export function movedFlows(before: readonly FlowRule[], after: readonly FlowRule[]): MovedFlow[] {
  const earlier = new Map(before.map((r) => [flowText(r), r.packets]));
  return after.filter((r) => earlier.has(flowText(r)) && r.packets > (earlier.get(flowText(r)) ?? 0)).map((rule) => ({ rule, before: earlier.get(flowText(rule)) ?? 0, after: rule.packets }));
}

/** Rules that drop and are not the table's default: what an operator added by hand. */
export function dropRules(rules: readonly FlowRule[]): FlowRule[] {
  return rules.filter((r) => r.drops);
}
