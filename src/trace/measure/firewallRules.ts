// A host's firewall rules with their counters: `nft -j list ruleset` (rules with a `counter`
// statement) and `iptables-save -c` (every rule and chain policy has [packets:bytes]). A rule
// that drops or rejects and whose counter moved while the probe arrived names the drop.

export interface FirewallRule {
  /** `nft inet hostfw input handle 3`, `iptables filter INPUT 2`. */
  id: string;
  /** The rule as a reader knows it: `icmp type == echo-request counter drop`, `-A INPUT -p icmp -j DROP`. */
  text: string;
  /** `drop`, `reject`, `accept`, or another verdict; `policy` for a chain's policy. */
  verdict?: string;
  /** The hook it sits on (`input`, `forward`, ...) or the iptables chain. */
  hook?: string;
  /** Undefined when the rule keeps no counter. */
  packets?: number;
  isPolicy?: boolean;
}

type Json = Record<string, unknown>;

function exprText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `{ ${value.map(exprText).join(', ')} }`;
  const o = value as Json;
  if ('payload' in o) {
    const p = o.payload as Json;
    return `${p.protocol ?? ''} ${p.field ?? ''}`.trim();
  }
  if ('meta' in o) return `meta ${(o.meta as Json).key}`;
  if ('prefix' in o) return `${(o.prefix as Json).addr}/${(o.prefix as Json).len}`;
  if ('set' in o) return exprText(o.set);
  if ('range' in o) return (o.range as unknown[]).map(exprText).join('-');
  const [key] = Object.keys(o);
  return key ?? '';
}

const VERDICTS = ['drop', 'reject', 'accept', 'return', 'jump', 'goto', 'queue'];

export function parseNftRuleset(text: string): FirewallRule[] {
  let items: Json[];
  try {
    items = ((JSON.parse(text) as Json).nftables as Json[]) ?? [];
  } catch {
    return [];
  }
  const hooks = new Map<string, string>();
  const rules: FirewallRule[] = [];
  for (const item of items) {
    if (item.chain) {
      const c = item.chain as Json;
      if (typeof c.hook === 'string') hooks.set(`${c.family} ${c.table} ${c.name}`, c.hook);
      if (c.policy === 'drop') rules.push({ id: `nft ${c.family} ${c.table} ${c.name} policy`, text: `chain ${c.name} (hook ${c.hook}) policy drop`, verdict: 'drop', hook: String(c.hook), isPolicy: true });
    }
    if (!item.rule) continue;
    const r = item.rule as Json;
    const chain = `${r.family} ${r.table} ${r.chain}`;
    const parts: string[] = [];
    let packets: number | undefined;
    let verdict: string | undefined;
    for (const e of (r.expr as Json[]) ?? []) {
      if (e.match) {
        const m = e.match as Json;
        parts.push(`${exprText(m.left)} ${m.op === '==' ? '' : `${m.op} `}${exprText(m.right)}`.replace(/ {2,}/g, ' '));
      } else if (e.counter) {
        packets = Number((e.counter as Json).packets ?? 0);
        parts.push(`counter packets ${packets}`);
      } else {
        const word = Object.keys(e).find((k) => VERDICTS.includes(k));
        if (word) {
          verdict = word;
          parts.push(word);
        } else parts.push(Object.keys(e)[0] ?? '');
      }
    }
    rules.push({ id: `nft ${chain} handle ${r.handle}`, text: parts.filter(Boolean).join(' '), verdict, hook: hooks.get(chain) ?? String(r.chain), packets });
  }
  return rules;
}

export function parseIptablesSave(text: string): FirewallRule[] {
  const rules: FirewallRule[] = [];
  let table = '';
  const numbers = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    const policy = /^:(\S+) (DROP|REJECT) \[(\d+):\d+\]/.exec(line);
    if (policy) rules.push({ id: `iptables ${table} ${policy[1]} policy`, text: `${policy[1]} policy ${policy[2]}`, verdict: policy[2].toLowerCase(), hook: policy[1], packets: Number(policy[3]), isPolicy: true });
    const rule = /^\[(\d+):\d+\] (-A (\S+) .*)$/.exec(line);
    if (!rule) continue;
    const chain = rule[3];
    const n = (numbers.get(`${table} ${chain}`) ?? 0) + 1;
    numbers.set(`${table} ${chain}`, n);
    const target = / -j (\S+)/.exec(rule[2])?.[1];
    rules.push({ id: `iptables ${table} ${chain} ${n}`, text: rule[2], verdict: target?.toLowerCase(), hook: chain, packets: Number(rule[1]) });
  }
  return rules;
}

export interface MovedRule {
  rule: FirewallRule;
  before: number;
  after: number;
}

/** Rules that drop or reject and whose counter grew from one reading to the next. */
export function movedDrops(before: readonly FirewallRule[], after: readonly FirewallRule[]): MovedRule[] {
  const earlier = new Map(before.map((r) => [`${r.id} ${r.text.replace(/counter packets \d+/, '')}`, r.packets]));
  return after
    .filter((r) => (r.verdict === 'drop' || r.verdict === 'reject') && r.packets !== undefined)
    .map((rule) => ({ rule, before: earlier.get(`${rule.id} ${rule.text.replace(/counter packets \d+/, '')}`) ?? 0, after: rule.packets as number }))
    .filter((m) => m.after > m.before);
}
