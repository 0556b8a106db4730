// Works out how to reach every host of a lab: the lab file first, ~/.ssh/config for what it
// leaves out, OpenSSH's defaults last. Jumps become endpoints of the same table, so a jump
// through a lab host reuses that host's pooled connection.

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Lab, LabSshSettings, StrictHostKeyChecking } from '../lab/types';
import { SshError } from './errors';
import { expandHome, SshConfigReader } from './sshConfig';
import type { SshEndpoint } from './types';

export interface EndpointOverrides {
  /** `--accept-new-host-keys`: unknown keys are recorded for this run (changed keys are still refused). */
  acceptNewHostKeys?: boolean;
  /** `--known-hosts FILE`: the only known_hosts file used and written. */
  knownHostsFile?: string;
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** The keys OpenSSH tries when no IdentityFile is configured, in its order. */
export function defaultIdentityFiles(home: string): string[] {
  return ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk'].map((name) => join(home, '.ssh', name));
}

function strictFromConfig(value: string | undefined): StrictHostKeyChecking | undefined {
  if (value === undefined) return undefined;
  if (value === 'no' || value === 'off') return 'no';
  if (value === 'accept-new') return 'accept-new';
  return 'yes'; // `yes` and `ask`: with nobody to ask, OpenSSH's `ask` fails like `yes`
}

/** `[user@]host[:port]`, the ProxyJump form. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  if (!match) throw new Error(`not a jump of the form [user@]host[:port]: ${spec}`);
  return { user: match[1], host: match[2].replace(/^\[|\]$/g, ''), port: match[3] ? Number(match[3]) : undefined };
}

export class EndpointTable {
  private readonly endpoints = new Map<string, SshEndpoint>();

  constructor(
    lab: Lab,
    private readonly config: SshConfigReader = new SshConfigReader(),
    private readonly overrides: EndpointOverrides = {},
    private readonly home = process.env.HOME ?? userInfo().homedir,
  ) {
    for (const host of lab.hosts) {
      const settings: LabSshSettings = { ...lab.defaults.ssh, ...host.ssh };
      this.add(host.name, settings, new Set(lab.hosts.map((h) => h.name)));
    }
  }

  get(label: string): SshEndpoint {
    const endpoint = this.endpoints.get(label);
    if (!endpoint) throw new SshError('config', label, `${label}: not a host of this lab.`);
    return endpoint;
  }

  labels(): string[] {
    return [...this.endpoints.keys()];
  }

  private add(label: string, settings: LabSshSettings, labHosts: Set<string>, depth = 0): void {
    if (this.endpoints.has(label)) return;
    if (depth > 8) throw new SshError('config', label, `${label}: ProxyJump chain is longer than 8 hops (a loop in ~/.ssh/config?).`);
    const alias = settings.host ?? label;
    const fromConfig = this.config.lookup(alias);
    const identityFiles = settings.identityFile
      ? [expandHome(settings.identityFile, this.home)]
      : fromConfig.identityFiles.length > 0
        ? fromConfig.identityFiles
        : defaultIdentityFiles(this.home).filter((file) => existsSync(file));
    const userKnownHosts = this.overrides.knownHostsFile
      ? [this.overrides.knownHostsFile]
      : settings.knownHostsFile
        ? [expandHome(settings.knownHostsFile, this.home)]
        : (fromConfig.userKnownHostsFiles ?? [join(this.home, '.ssh', 'known_hosts'), join(this.home, '.ssh', 'known_hosts2')]);
    const globalKnownHosts = this.overrides.knownHostsFile ? [] : (fromConfig.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts']);
    let strict = settings.strictHostKeyChecking ?? strictFromConfig(fromConfig.strictHostKeyChecking) ?? 'yes';
    if (this.overrides.acceptNewHostKeys && strict === 'yes') strict = 'accept-new';

    const endpoint: SshEndpoint = {
      label,
      hostname: fromConfig.hostname ?? alias,
      port: settings.port ?? fromConfig.port ?? 22,
      user: settings.user ?? fromConfig.user ?? userInfo().username,
      identityFiles,
      identitiesOnly: fromConfig.identitiesOnly ?? false,
      strictHostKeyChecking: strict,
      knownHostsFiles: [...userKnownHosts, ...globalKnownHosts],
      hostKeyAlias: fromConfig.hostKeyAlias,
      connectTimeoutMs: this.overrides.connectTimeoutMs ?? (fromConfig.connectTimeout ? fromConfig.connectTimeout * 1000 : DEFAULT_CONNECT_TIMEOUT_MS),
    };
    this.endpoints.set(label, endpoint);

    const jump = settings.jump ?? (fromConfig.proxyJump && fromConfig.proxyJump.toLowerCase() !== 'none' ? fromConfig.proxyJump : undefined);
    if (!jump) return;
    // `a,b,c`: c is the hop right before this endpoint; each earlier one is the hop before the next.
    const hops = jump.split(',').map((hop) => hop.trim()).filter(Boolean);
    let previous: string | undefined;
    for (const hop of hops) {
      if (!labHosts.has(hop)) {
        const spec = parseJumpSpec(hop);
        this.add(hop, { host: spec.host, user: spec.user, port: spec.port, jump: previous }, labHosts, depth + 1);
      }
      previous = hop;
    }
    endpoint.via = previous;
  }
}
