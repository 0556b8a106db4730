// /etc/os-release (os-release(5)): shell-style `KEY=value` lines, values optionally quoted.

export interface OsRelease {
  prettyName?: string;
  id?: string;
  /** ID_LIKE, split: `ubuntu` says `debian`, `rocky` says `rhel centos fedora`. */
  idLike: string[];
}

export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1], unquote(match[2]));
  }
  return {
    prettyName: fields.get('PRETTY_NAME') || undefined,
    id: fields.get('ID') || undefined,
    idLike: (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
  };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
  }
  return value;
}

/** The systemd unit that runs Open vSwitch on this distribution, for advice in notes. */
export function openvswitchService(os: OsRelease): string {
  const family = [os.id, ...os.idLike];
  if (family.some((id) => id === 'debian' || id === 'ubuntu')) return 'openvswitch-switch';
  if (family.some((id) => id === 'rhel' || id === 'fedora' || id === 'centos' || id === 'suse' || id === 'opensuse')) return 'openvswitch';
  return 'openvswitch-switch (Debian, Ubuntu) or openvswitch (Red Hat, Fedora)';
}
