// ~/.ssh/config, then /etc/ssh/ssh_config, read as OpenSSH reads them (first value wins),
// with `Include` globs expanded in place. Parsing and matching are the `ssh-config` package's.

import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';

export interface SshConfigValues {
  hostname?: string;
  port?: number;
  user?: string;
  identityFiles: string[];
  identitiesOnly?: boolean;
  proxyJump?: string;
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  strictHostKeyChecking?: string;
  hostKeyAlias?: string;
  connectTimeout?: number;
}

export interface SshConfigSource {
  userFile: string;
  systemFile: string;
  home: string;
}

export function defaultSshConfigSource(): SshConfigSource {
  const home = homedir();
  return { userFile: join(home, '.ssh', 'config'), systemFile: '/etc/ssh/ssh_config', home };
}

/** Expands `~` and `%d`/`%u`-free paths as OpenSSH does for IdentityFile and friends. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path.replace(/%d/g, home);
}

function matchGlob(pattern: string): string[] {
  if (!/[*?]/.test(basename(pattern))) return [pattern];
  const folder = dirname(pattern);
  const regex = new RegExp(`^${basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(folder).filter((name) => regex.test(name)).sort().map((name) => join(folder, name));
  } catch {
    return [];
  }
}

/** Inlines `Include` directives, relative to ~/.ssh for user files, as OpenSSH resolves them. */
function readWithIncludes(file: string, relativeTo: string, home: string, depth = 0): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  if (depth > 16) return text;
  return text
    .split(/\r?\n/)
    .map((line) => {
      const include = /^\s*Include\s+(.+)$/i.exec(line);
      if (!include) return line;
      return include[1]
        .trim()
        .split(/\s+/)
        .flatMap((item) => {
          const expanded = expandHome(item, home);
          return matchGlob(isAbsolute(expanded) ? expanded : join(relativeTo, expanded));
        })
        .map((path) => readWithIncludes(path, relativeTo, home, depth + 1))
        .join('\n');
    })
    .join('\n');
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(/\s+/)).filter(Boolean);
}

export class SshConfigReader {
  private readonly configs: SSHConfig[];

  constructor(private readonly source: SshConfigSource = defaultSshConfigSource()) {
    const userText = readWithIncludes(source.userFile, dirname(source.userFile), source.home);
    const systemText = readWithIncludes(source.systemFile, dirname(source.systemFile), source.home);
    this.configs = [SSHConfig.parse(userText), SSHConfig.parse(systemText)];
  }

  /** What the config files say for a host alias; the user file wins over the system one. */
  lookup(alias: string): SshConfigValues {
    // `Match exec` would run shell text from the config: not evaluated, on purpose.
    const computed = this.configs.map((config) => config.compute(alias, { ignoreCase: true, matchExec: false }));
    const get = (key: string) => computed.map((values) => values[key.toLowerCase()]).find((value) => value !== undefined);
    const home = this.source.home;
    const port = first(get('Port'));
    const timeout = first(get('ConnectTimeout'));
    const identitiesOnly = first(get('IdentitiesOnly'));
    const userKnown = list(get('UserKnownHostsFile')).map((path) => expandHome(path, home));
    const globalKnown = list(get('GlobalKnownHostsFile')).map((path) => expandHome(path, home));
    return {
      hostname: first(get('HostName')),
      port: port ? Number(port) : undefined,
      user: first(get('User')),
      // IdentityFile accumulates across matching blocks, in order, as in OpenSSH.
      identityFiles: computed.flatMap((values) => list(values['identityfile'])).map((path) => expandHome(path, home)),
      identitiesOnly: identitiesOnly ? identitiesOnly.toLowerCase() === 'yes' : undefined,
      proxyJump: first(get('ProxyJump')),
      userKnownHostsFiles: userKnown.length ? userKnown : undefined,
      globalKnownHostsFiles: globalKnown.length ? globalKnown : undefined,
      strictHostKeyChecking: first(get('StrictHostKeyChecking'))?.toLowerCase(),
      hostKeyAlias: first(get('HostKeyAlias')),
      connectTimeout: timeout ? Number(timeout) : undefined,
    };
  }
}
