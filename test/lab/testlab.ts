// The test lab: real hosts in network namespaces, built from a TestLabSpec and torn down
// always. Each host is a namespace with its own hostname, OVS files and home (unshare plus bind
// mounts), its own sshd left at sshd's default limits, and an unprivileged sudo login, so that
// tests meet what real hosts are like (docs/architecture.md, "Tests").

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants as fsConstants, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { labEnv, mapLimit, run, waitFor, type RunOptions, type RunResult } from './exec';
import { ensureLabUsers } from './users';
import { ETHTOOL_SCRIPT, HOST_SCRIPT, SYSCTL_SCRIPT, TCP_PROBE_SCRIPT, TEARDOWN_SCRIPT } from './scripts';
import {
  cidrContains,
  inLabRange,
  LAB_RANGE,
  MGMT_IFACE,
  parseCidr,
  resolveSpec,
  SEGMENT_BRIDGE,
  type ResolvedHost,
  type ResolvedLab,
  type TestLabSpec,
} from './spec';

export const ENCRYPTED_KEY_PASSPHRASE = 'correct horse';

export interface TestLabOptions {
  /** StrictHostKeyChecking written into the lab's ssh_config. Default `accept-new`, as in demo.lab.yaml. */
  strictHostKeyChecking?: 'yes' | 'accept-new' | 'no';
  /** Fill known_hosts with every host key once the lab is up. Default false (known_hosts starts empty). */
  trustHostKeys?: boolean;
  /** Tear the lab down when the process exits or gets SIGINT/SIGTERM/SIGHUP. Default true. */
  registerExitHooks?: boolean;
  /**
   * Keep an `unreachable 10.213.0.0/16` route in the root namespace while labs are up, so
   * that a lab address the lab did not wire to the root namespace (a hidden host) fails
   * at once instead of leaving through the machine's default route. Default true.
   */
  guardRoute?: boolean;
  /** Hosts whose daemons start at once. Default 8. */
  concurrency?: number;
  /** After up, run `hostname` and an OVS check over SSH (OpenSSH) on every host. Default false. */
  verifySsh?: boolean;
  /** Progress lines (phases and their times). */
  log?: (line: string) => void;
}

export interface LabHost {
  name: string;
  namespace: string;
  /** Where its sshd listens: the mgmt address, or for a hidden host the address only its jump host reaches. */
  sshHost?: string;
  sshPort: number;
  mgmtAddress?: string;
  /** The jump host, for a hidden host. */
  jump?: string;
  ovs: boolean;
  sshd: boolean;
}

export interface TestLabPaths {
  workDir: string;
  /** Authorized, no passphrase. */
  clientKey: string;
  clientPublicKey: string;
  /** Authorized, encrypted with `encryptedKeyPassphrase`. */
  encryptedKey: string;
  encryptedKeyPassphrase: string;
  /** A valid key that no host accepts. */
  unauthorizedKey: string;
  knownHosts: string;
  /** For `ssh -F`: one Host entry per lab host, by its lab name. */
  sshConfig: string;
}

export interface LabProcess {
  pid: number;
  comm: string;
  argv: string[];
  ppid: number;
}

export type CanBuild = { ok: true; reason?: undefined } | { ok: false; reason: string };

interface LabState {
  version: 1;
  spec: TestLabSpec;
  options: { strictHostKeyChecking: string; guardRoute: boolean };
  workDir: string;
  anchors: Record<string, number>;
}

const REQUIRED_TOOLS = ['ip', 'unshare', 'nsenter', 'sshd', 'ssh-keygen', 'ethtool', 'sysctl', 'timeout', 'bash', 'hostname', 'sudo', 'visudo', 'useradd'];
const OVS_TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vsctl', 'ovs-vswitchd'];

async function which(tool: string): Promise<string | undefined> {
  for (const dir of (labEnv().PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = path.join(dir, tool);
    try {
      await access(p, fsConstants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Whether this process can build a lab here, and if not, why: tests skip with the reason.
 * Needs root, network namespaces, and the tools (OVS only when `spec` wants it).
 */
export async function canBuildTestLab(spec?: TestLabSpec): Promise<CanBuild> {
  if (process.platform !== 'linux') return { ok: false, reason: `the test lab needs Linux network namespaces (platform is ${process.platform})` };
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, reason: `the test lab needs root to create network namespaces (running as uid ${uid})` };
  const tools = [...REQUIRED_TOOLS, ...(spec === undefined || spec.hosts.some((h) => h.ovs) ? OVS_TOOLS : [])];
  const missing: string[] = [];
  for (const t of tools) if (!(await which(t))) missing.push(t);
  if (missing.length) {
    return { ok: false, reason: `the test lab needs ${missing.join(', ')} (apt-get install openssh-server openvswitch-switch iproute2 ethtool sudo)` };
  }
  if (!existsSync('/usr/share/openvswitch/vswitch.ovsschema') && tools.includes('ovsdb-tool')) {
    return { ok: false, reason: 'the test lab needs /usr/share/openvswitch/vswitch.ovsschema (package openvswitch-switch)' };
  }
  const list = await run(['ip', 'netns', 'list'], { check: false, timeoutMs: 5000 });
  if (list.code !== 0) return { ok: false, reason: `\`ip netns list\` fails: ${list.stderr.trim() || `exit ${list.code}`}` };
  // Creating a throwaway namespace proves the kernel and our privileges allow it.
  const probe = await run(['unshare', '--net', '--mount', 'true'], { check: false, timeoutMs: 5000 });
  if (probe.code !== 0) return { ok: false, reason: `cannot create network namespaces: ${probe.stderr.trim() || `exit ${probe.code}`}` };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------
// Teardown on exit: one registry per process, so several labs (different prefixes) share
// the handlers.

const liveLabs = new Map<string, { workDir: string; guard: boolean }>();
/** The lab object that owns each prefix in this process: a newer up() with the same prefix replaces it. */
const owners = new Map<string, TestLab>();
let hooksInstalled = false;

function teardownSync(prefix: string, workDir: string, guard: boolean): void {
  // Gone means someone else already tore this lab down, and the prefix may now belong to
  // their lab: leave it alone.
  if (!existsSync(workDir)) return;
  spawnSync('sh', ['-c', TEARDOWN_SCRIPT, 'sh', prefix, path.dirname(workDir), guard ? '1' : '0'], {
    env: labEnv(),
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 30_000,
  });
}

function teardownAllSync(): void {
  for (const [prefix, l] of liveLabs) teardownSync(prefix, l.workDir, l.guard);
  liveLabs.clear();
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onSignal(sig: NodeJS.Signals): void {
  teardownAllSync();
  uninstallHooks();
  // With nobody else listening, die of the signal as if we had never caught it.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', teardownAllSync);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstallHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', teardownAllSync);
  for (const s of SIGNALS) process.off(s, onSignal);
}

// ---------------------------------------------------------------------------------------

function namespaceExists(ns: string): boolean {
  return existsSync(path.join('/run/netns', ns));
}

async function ipBatch(namespace: string | undefined, lines: string[], what: string): Promise<void> {
  if (lines.length === 0) return;
  const argv = namespace ? ['ip', '-n', namespace, '-batch', '-'] : ['ip', '-batch', '-'];
  await run(argv, { input: lines.join('\n') + '\n', what });
}

async function listOurs(prefix: string): Promise<{ namespaces: string[]; links: string[] }> {
  const ns = await run(['ip', 'netns', 'list'], { what: 'list namespaces' });
  const links = await run(['ip', '-o', 'link', 'show'], { what: 'list links' });
  const mine = (n: string) => n.startsWith(`${prefix}-`);
  return {
    namespaces: ns.stdout.split('\n').map((l) => l.split(' ')[0]).filter((n) => n && mine(n)),
    links: links.stdout
      .split('\n')
      .map((l) => (l.split(': ')[1] ?? '').split('@')[0])
      .filter((n) => n && mine(n)),
  };
}

async function readProcess(pid: number): Promise<LabProcess | undefined> {
  try {
    const [cmdline, comm, stat] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
      readFile(`/proc/${pid}/comm`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    // The command name in stat may hold spaces and parentheses; the ppid follows the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { pid, comm: comm.trim(), argv: cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1), ppid };
  } catch {
    return undefined; // gone meanwhile
  }
}

// A zombie counts as dead: daemons are orphans whose reaper is pid 1, and this machine's
// pid 1 (not a real init) reaps them only about a second later.
function pidAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

function tcpConnects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function sshKeygen(file: string, comment: string, passphrase = ''): Promise<void> {
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', file], { what: `generate key ${file}` });
}

/** Promise.all that waits for every step to finish before reporting the first failure. */
async function settleAll<T>(steps: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    const text = (await readFile(file, 'utf8')).trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class TestLab {
  readonly prefix: string;
  readonly paths: TestLabPaths;
  /** Milliseconds per phase of up(), and `total`. */
  readonly timings: Record<string, number> = {};
  private readonly plan: ResolvedLab;
  private readonly byName: Map<string, ResolvedHost>;
  private readonly anchors = new Map<string, number>();
  private downing?: Promise<void>;
  private isDown = false;

  private constructor(
    readonly spec: TestLabSpec,
    private readonly workDir: string,
    private readonly options: { strictHostKeyChecking: string; guardRoute: boolean },
  ) {
    this.plan = resolveSpec(spec);
    this.prefix = spec.prefix;
    this.byName = new Map(this.plan.hosts.map((h) => [h.name, h]));
    this.paths = {
      workDir,
      clientKey: path.join(workDir, 'id_ed25519'),
      clientPublicKey: path.join(workDir, 'id_ed25519.pub'),
      encryptedKey: path.join(workDir, 'id_ed25519_encrypted'),
      encryptedKeyPassphrase: ENCRYPTED_KEY_PASSPHRASE,
      unauthorizedKey: path.join(workDir, 'id_ed25519_unauthorized'),
      knownHosts: path.join(workDir, 'known_hosts'),
      sshConfig: path.join(workDir, 'ssh_config'),
    };
  }

  // -------------------------------------------------------------------------------------
  // Building

  /** Build the lab described by `spec`, after removing whatever a previous run with its prefix left. */
  static async up(spec: TestLabSpec, opts: TestLabOptions = {}): Promise<TestLab> {
    const t0 = Date.now();
    const plan = resolveSpec(spec);
    const can = await canBuildTestLab(spec);
    if (!can.ok) throw new Error(`cannot build the test lab: ${can.reason}`);
    const log = opts.log ?? (() => {});
    const guardRoute = opts.guardRoute ?? true;

    await TestLab.teardown(spec.prefix, { guardRoute });
    owners.get(spec.prefix)?.markDown();
    const tClean = Date.now();

    const workDir = await mkdtemp(path.join(os.tmpdir(), `${spec.prefix}-lab-`));
    // Searchable by all (not listable): sshd reads authorized_keys in it as the user logging in.
    await chmod(workDir, 0o711);
    const lab = new TestLab(spec, workDir, { strictHostKeyChecking: opts.strictHostKeyChecking ?? 'accept-new', guardRoute });
    lab.timings.cleanup = tClean - t0;
    owners.set(spec.prefix, lab);
    if (opts.registerExitHooks ?? true) {
      liveLabs.set(spec.prefix, { workDir, guard: guardRoute });
      installHooks();
    }
    try {
      await lab.build(plan, opts, log);
    } catch (err) {
      try {
        await lab.down();
      } catch (downErr) {
        if (err instanceof Error) err.message += `\n(tearing the half-built lab down failed too: ${(downErr as Error).message})`;
      }
      throw err;
    }
    lab.timings.total = Date.now() - t0;
    log(`lab ${spec.prefix} up in ${lab.timings.total} ms`);
    return lab;
  }

  private async build(plan: ResolvedLab, opts: TestLabOptions, log: (l: string) => void): Promise<void> {
    const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      const v = await fn();
      this.timings[name] = Date.now() - t;
      log(`${name}: ${this.timings[name]} ms`);
      return v;
    };
    // Files and network do not depend on each other until the daemons start. Both settle
    // before a failure is reported, so teardown never races a step still writing.
    await settleAll([phase('files', () => this.writeFiles(plan)), phase('network', () => this.buildNetwork(plan, opts))]);
    await phase('daemons', () => mapLimit(plan.hosts, opts.concurrency ?? 8, (h) => this.startHost(h)));
    await phase('ready', () => mapLimit(plan.hosts.filter((h) => h.sshd), 16, (h) => this.waitSshd(h)));
    await this.saveState();
    if (opts.trustHostKeys || opts.verifySsh) await this.trustHostKeys();
    if (opts.verifySsh) await phase('verify', () => this.verifyOverSsh());
  }

  private hostDir(name: string): string {
    return path.join(this.workDir, 'hosts', name);
  }

  private async writeFiles(plan: ResolvedLab): Promise<void> {
    const p = this.paths;
    // Mount points for the per-host folders must exist in the root namespace.
    for (const d of ['/run/openvswitch', '/etc/openvswitch', '/var/log/openvswitch']) mkdirSync(d, { recursive: true });
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    await settleAll(
      plan.hosts.map(async (h) => {
        const dir = this.hostDir(h.name);
        await Promise.all(['run', 'etc', 'log', 'home'].map((d) => mkdir(path.join(dir, d), { recursive: true })));
      }),
    );
    const keyJobs: (() => Promise<void>)[] = [
      () => sshKeygen(p.clientKey, 'overlay-lab test client'),
      () => sshKeygen(p.encryptedKey, 'overlay-lab test client (encrypted)', ENCRYPTED_KEY_PASSPHRASE),
      () => sshKeygen(p.unauthorizedKey, 'overlay-lab test client (not authorized)'),
      ...plan.hosts.filter((h) => h.sshd).map((h) => () => sshKeygen(this.hostKeyPath(h.name), `${h.namespace} host key`)),
    ];
    await Promise.all([mapLimit(keyJobs, 8, (job) => job()), ensureLabUsers()]);
    const authorized = [await readFile(`${p.clientKey}.pub`, 'utf8'), await readFile(`${p.encryptedKey}.pub`, 'utf8')].join('');
    await settleAll([
      // sshd reads it as the user logging in: the lab's unprivileged users must be able to.
      writeFile(this.authorizedKeysPath(), authorized, { mode: 0o644 }),
      writeFile(p.knownHosts, '', { mode: 0o600 }),
      writeFile(p.sshConfig, this.sshConfigText(), { mode: 0o600 }),
      ...plan.hosts.filter((h) => h.sshd).map((h) => writeFile(path.join(this.hostDir(h.name), 'sshd_config'), this.sshdConfigText(h))),
    ]);
  }

  private hostKeyPath(name: string): string {
    return path.join(this.hostDir(name), 'ssh_host_ed25519_key');
  }

  private authorizedKeysPath(): string {
    return path.join(this.workDir, 'authorized_keys');
  }

  private sshdPidFile(name: string): string {
    return path.join(this.hostDir(name), 'sshd.pid');
  }

  private sshdConfigText(h: ResolvedHost): string {
    return [
      `# Written by the test lab for ${h.namespace}.`,
      `Port ${h.sshPort}`,
      `ListenAddress ${h.sshHost}`,
      `HostKey ${this.hostKeyPath(h.name)}`,
      `PidFile ${this.sshdPidFile(h.name)}`,
      `AuthorizedKeysFile ${this.authorizedKeysPath()}`,
      'UsePAM no',
      // The work dir lives in /tmp, which StrictModes would reject.
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'AllowTcpForwarding yes',
      'X11Forwarding no',
      // MaxSessions (10) and MaxStartups (10:30:100) stay at sshd's defaults, as on real hosts.
      'PrintMotd no',
      'PrintLastLog no',
      'UseDNS no',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n');
  }

  private sshConfigText(): string {
    const p = this.paths;
    const out = [`# Written by the test lab ${this.prefix}; use as \`ssh -F ${p.sshConfig} HOST\`.`, ''];
    for (const h of this.plan.hosts) {
      if (!h.sshd) continue;
      out.push(
        `Host ${h.name}`,
        `  HostName ${h.sshHost}`,
        `  Port ${h.sshPort}`,
        '  User root',
        `  IdentityFile ${p.clientKey}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${p.knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        `  StrictHostKeyChecking ${this.options.strictHostKeyChecking}`,
        '  BatchMode yes',
        '  ConnectTimeout 5',
        '  LogLevel ERROR',
      );
      if (h.behind) out.push(`  ProxyJump ${h.behind.host}`);
      out.push('');
    }
    return out.join('\n');
  }

  private async buildNetwork(plan: ResolvedLab, opts: TestLabOptions): Promise<void> {
    const namespaces = [...plan.hosts.map((h) => h.namespace), ...plan.segments.map((s) => s.namespace)];
    await ipBatch(undefined, namespaces.map((n) => `netns add ${n}`), 'create namespaces');
    // IPv6 off before any link exists: links created later take the namespace's default.
    await run(['sh', '-c', SYSCTL_SCRIPT, 'sh', plan.ipv6 ? '0' : '1', ...namespaces], { what: 'namespace sysctls' });

    const jobs: Promise<void>[] = [];
    if (plan.needsMgmt) jobs.push(this.buildMgmt(plan, opts.guardRoute ?? true));
    for (const s of plan.segments) {
      const lines = [`link add name ${SEGMENT_BRIDGE} address ${s.bridgeMac} type bridge mcast_snooping 0`];
      for (const m of s.members) {
        lines.push(
          `link add name ${m.port} address ${m.portMac} type veth peer name ${m.iface} address ${m.mac} netns ${m.hostNamespace}`,
          `link set dev ${m.port} master ${SEGMENT_BRIDGE}`,
        );
      }
      jobs.push(ipBatch(s.namespace, lines, `build segment ${s.name}`));
    }
    const gateways = new Map<string, string[]>();
    for (const h of plan.hosts) {
      if (!h.behind) continue;
      const gw = this.byName.get(h.behind.host)!;
      const b = h.behind;
      const lines = gateways.get(gw.namespace) ?? [];
      lines.push(
        `link add name ${b.gatewayIface} address ${b.gatewayMac} type veth peer name ${MGMT_IFACE} address ${b.mac} netns ${h.namespace}`,
        `addr add ${b.gatewayAddress.address}/${b.gatewayAddress.length} dev ${b.gatewayIface}`,
        `link set dev ${b.gatewayIface} up`,
      );
      gateways.set(gw.namespace, lines);
    }
    for (const [ns, lines] of gateways) jobs.push(ipBatch(ns, lines, `jump links in ${ns}`));
    await settleAll(jobs);

    // Offloads off before the member links come up, so no frame ever crosses with them on.
    const pairs: string[] = [];
    for (const s of plan.segments) for (const m of s.members) pairs.push(s.namespace, m.port, m.hostNamespace, m.iface);
    if (pairs.length) await run(['sh', '-c', ETHTOOL_SCRIPT, 'sh', ...pairs], { what: 'turn TX offload off' });

    await settleAll([
      ...plan.segments.map((s) =>
        ipBatch(s.namespace, [...s.members.map((m) => `link set dev ${m.port} up`), `link set dev ${SEGMENT_BRIDGE} up`], `start segment ${s.name}`),
      ),
      ...plan.hosts.map((h) => {
        const lines = ['link set dev lo up'];
        if (h.mgmtAddress) lines.push(`addr add ${h.mgmtAddress}/${plan.mgmt.length} dev ${MGMT_IFACE}`, `link set dev ${MGMT_IFACE} up`);
        if (h.behind) lines.push(`addr add ${h.behind.address.address}/${h.behind.address.length} dev ${MGMT_IFACE}`, `link set dev ${MGMT_IFACE} up`);
        for (const i of h.ifaces) lines.push(`link set dev ${i.name} up`);
        return ipBatch(h.namespace, lines, `configure host ${h.name}`);
      }),
    ]);
  }

  private async buildMgmt(plan: ResolvedLab, guardRoute: boolean): Promise<void> {
    // The root namespace routes a subnet to one bridge only: another lab (or anything
    // else) holding an address in ours would take our traffic or lose its own.
    const addrs = JSON.parse((await run(['ip', '-j', '-4', 'addr', 'show'], { what: 'list root addresses' })).stdout) as {
      ifname: string;
      addr_info?: { local: string; prefixlen: number }[];
    }[];
    for (const link of addrs) {
      for (const a of link.addr_info ?? []) {
        const theirs = parseCidr(`${a.local}/${a.prefixlen}`);
        if (cidrContains(plan.mgmt, a.local) || cidrContains(theirs, plan.mgmt.address)) {
          throw new Error(
            `management subnet ${plan.mgmt.address}/${plan.mgmt.length} is already in use in the root namespace ` +
              `(${a.local}/${a.prefixlen} on ${link.ifname}); is another lab up? give this one another mgmtSubnet`,
          );
        }
      }
    }
    if (guardRoute) await this.ensureGuardRoute();

    const br = plan.mgmtBridge;
    const hosts = plan.hosts.filter((h) => h.mgmtRootLink);
    await ipBatch(
      undefined,
      [
        `link add name ${br} type bridge`,
        ...hosts.flatMap((h) => [
          `link add name ${h.mgmtRootLink} address ${h.mgmtRootMac} type veth peer name ${MGMT_IFACE} address ${h.mgmtMac} netns ${h.namespace}`,
          `link set dev ${h.mgmtRootLink} master ${br}`,
        ]),
      ],
      'build the management bridge',
    );
    if (!plan.ipv6) {
      // Our own links in the root namespace; written before they come up, so they never speak IPv6.
      await Promise.all(
        [br, ...hosts.map((h) => h.mgmtRootLink!)].map((l) => writeFile(`/proc/sys/net/ipv6/conf/${l}/disable_ipv6`, '1').catch(() => {})),
      );
    }
    await ipBatch(
      undefined,
      [`addr add ${plan.mgmt.address}/${plan.mgmt.length} dev ${br}`, `link set dev ${br} up`, ...hosts.map((h) => `link set dev ${h.mgmtRootLink} up`)],
      'start the management bridge',
    );
    // The one check that matters before we send anything: the kernel sends mgmt traffic to our bridge.
    const first = hosts[0];
    if (first) {
      const route = JSON.parse((await run(['ip', '-j', 'route', 'get', first.mgmtAddress!], { what: 'check the management route' })).stdout) as {
        dev?: string;
      }[];
      if (route[0]?.dev !== br) {
        throw new Error(`the root namespace routes ${first.mgmtAddress} to ${route[0]?.dev ?? 'nowhere'}, not to ${br}`);
      }
    }
  }

  private async ensureGuardRoute(): Promise<void> {
    const existing = JSON.parse((await run(['ip', '-j', 'route', 'show', 'exact', LAB_RANGE], { what: 'look for the guard route' })).stdout) as {
      type?: string;
    }[];
    if (existing.length === 0) {
      const r = await run(['ip', 'route', 'add', 'unreachable', LAB_RANGE], { check: false });
      if (r.code !== 0 && !/File exists/.test(r.stderr)) throw new Error(`cannot add the guard route unreachable ${LAB_RANGE}: ${r.stderr.trim()}`);
    } else if (existing.some((r) => r.type !== 'unreachable')) {
      throw new Error(`the root namespace already routes ${LAB_RANGE} somewhere (${JSON.stringify(existing)}); the lab will not share that range`);
    }
  }

  private async startHost(h: ResolvedHost): Promise<void> {
    const dir = this.hostDir(h.name);
    const setupLog = path.join(dir, 'setup.log');
    // stderr goes to a file, not a pipe: the daemons inherit it and outlive this process.
    const errFd = openSync(setupLog, 'a');
    let child;
    try {
      child = spawn(
        'ip',
        ['netns', 'exec', h.namespace, 'unshare', '--uts', '--mount', '--propagation', 'private', 'sh', '-c', HOST_SCRIPT, 'sh', h.name, dir, h.ovs ? '1' : '0', h.sshd ? '1' : '0'],
        { env: labEnv(), detached: true, stdio: ['ignore', 'pipe', errFd] },
      );
    } finally {
      closeSync(errFd);
    }
    const why = async (what: string) => {
      const logs = [await tail(setupLog), h.sshd ? await tail(path.join(dir, 'sshd.log')) : ''].filter(Boolean).join('\n');
      return new Error(`host ${h.name}: ${what}${logs ? `\n${logs}` : ''}`);
    };
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        void why('daemons did not start within 20 s').then(reject);
      }, 20_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`host ${h.name}: cannot start its namespace: ${err.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        void why(`setting up the host failed (exit ${code ?? signal})`).then(reject);
      });
    });
    child.stdout!.destroy();
    child.removeAllListeners('exit');
    child.unref();
    this.anchors.set(h.name, pid);
  }

  private async waitSshd(h: ResolvedHost): Promise<void> {
    const what = `sshd of ${h.name} on ${h.sshHost}:${h.sshPort}`;
    try {
      if (h.behind) {
        // Only the jump host reaches it, so ask from there.
        const gw = this.byName.get(h.behind.host)!;
        this.assertNamespaces([gw.namespace, h.namespace]);
        await run(['nsenter', `--net=/run/netns/${gw.namespace}`, 'sh', '-c', TCP_PROBE_SCRIPT, 'sh', h.sshHost!, String(h.sshPort), '100'], {
          what,
          timeoutMs: 20_000,
        });
      } else {
        this.assertNamespaces([h.namespace]);
        this.assertMgmtAddress(h.sshHost!);
        await waitFor(what, 10_000, async () => ((await tcpConnects(h.sshHost!, h.sshPort, 1000)) ? true : undefined), 25);
      }
      await waitFor(`pid file of ${what}`, 5_000, () => this.sshdPid(h.name));
    } catch (err) {
      const logs = await tail(path.join(this.hostDir(h.name), 'sshd.log'));
      throw new Error(`${(err as Error).message}${logs ? `\nsshd.log:\n${logs}` : ''}`);
    }
  }

  private async saveState(): Promise<void> {
    const state: LabState = {
      version: 1,
      spec: this.spec,
      options: this.options,
      workDir: this.workDir,
      anchors: Object.fromEntries(this.anchors),
    };
    await writeFile(path.join(this.workDir, 'lab.json'), JSON.stringify(state, null, 2) + '\n');
  }

  /**
   * A lab that another process (e.g. `cli.ts up`) built and left running. Its teardown
   * stays with whoever calls down(); no exit hooks are registered.
   */
  static async attach(prefix: string): Promise<TestLab> {
    const entries = (await readdir(os.tmpdir())).filter((e) => e.startsWith(`${prefix}-lab-`));
    for (const e of entries) {
      const workDir = path.join(os.tmpdir(), e);
      let state: LabState;
      try {
        state = JSON.parse(await readFile(path.join(workDir, 'lab.json'), 'utf8')) as LabState;
      } catch {
        continue;
      }
      const lab = new TestLab(state.spec, workDir, state.options);
      for (const [name, pid] of Object.entries(state.anchors)) lab.anchors.set(name, pid);
      for (const h of lab.plan.hosts) lab.anchor(h.name); // throws when a host is gone
      return lab;
    }
    throw new Error(`no running test lab with prefix ${prefix} (no ${path.join(os.tmpdir(), `${prefix}-lab-*/lab.json`)})`);
  }

  // -------------------------------------------------------------------------------------
  // Looking at it

  hosts(): LabHost[] {
    return this.plan.hosts.map((h) => this.host(h.name));
  }

  host(name: string): LabHost {
    const h = this.resolved(name);
    return {
      name: h.name,
      namespace: h.namespace,
      sshHost: h.sshHost,
      sshPort: h.sshPort,
      mgmtAddress: h.mgmtAddress,
      jump: h.behind?.host,
      ovs: h.ovs,
      sshd: h.sshd,
    };
  }

  /** Namespaces of the segments, by segment name. */
  segmentNamespace(name: string): string {
    const s = this.plan.segments.find((x) => x.name === name);
    if (!s) throw new Error(`test lab ${this.prefix}: no segment ${name}`);
    return s.namespace;
  }

  /** Every namespace of the lab, hosts first. */
  namespaces(): string[] {
    return [...this.plan.hosts.map((h) => h.namespace), ...this.plan.segments.map((s) => s.namespace)];
  }

  private resolved(name: string): ResolvedHost {
    const h = this.byName.get(name);
    if (!h) throw new Error(`test lab ${this.prefix}: no host ${name} (hosts: ${[...this.byName.keys()].join(', ')})`);
    return h;
  }

  /** Throws unless every given namespace (default: all of the lab's) exists: call before sending traffic. */
  assertNamespaces(namespaces: string[] = this.namespaces()): void {
    const missing = namespaces.filter((n) => !namespaceExists(n));
    if (missing.length) throw new Error(`test lab ${this.prefix}: namespace ${missing.join(', ')} does not exist (lab down?)`);
  }

  private assertMgmtAddress(address: string): void {
    if (!inLabRange(address) || !cidrContains(this.plan.mgmt, address) || ![...this.byName.values()].some((h) => h.mgmtAddress === address)) {
      throw new Error(`test lab ${this.prefix}: ${address} is not a management address of this lab`);
    }
  }

  /** Pid of the process that holds the host's namespaces. */
  private anchor(name: string): number {
    const h = this.resolved(name);
    const pid = this.anchors.get(name);
    if (this.isDown) throw new Error(`test lab ${this.prefix} is down`);
    if (!namespaceExists(h.namespace)) throw new Error(`test lab ${this.prefix}: namespace ${h.namespace} does not exist`);
    if (pid === undefined || !pidAlive(pid)) throw new Error(`test lab ${this.prefix}: host ${name} has lost its anchor process (pid ${pid})`);
    return pid;
  }

  /**
   * Run a program inside the host: its network, mount and UTS namespaces, so `ovs-vsctl`
   * reaches its own OVS and `hostname` prints its name. Does not throw on a non-zero exit
   * unless `check` is set.
   */
  async nsExec(hostName: string, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    if (argv.length === 0) throw new Error('nsExec: empty argument list');
    const pid = this.anchor(hostName);
    return run(['nsenter', '-t', String(pid), '-n', '-m', '-u', '--', ...argv], {
      check: false,
      what: `on ${hostName}: ${argv.join(' ')}`,
      ...opts,
    });
  }

  /**
   * Processes in the host's network namespace whose command name (or, for a RegExp, whole
   * command line) matches; all of them without a pattern. The lab's own anchor process
   * (comm `lab-anchor`) is left out.
   */
  async processes(hostName: string, pattern?: string | RegExp): Promise<LabProcess[]> {
    const h = this.resolved(hostName);
    this.assertNamespaces([h.namespace]);
    const anchor = this.anchors.get(hostName);
    const r = await run(['ip', 'netns', 'pids', h.namespace], { what: `list processes of ${hostName}` });
    const procs = (await Promise.all(r.stdout.split(/\s+/).filter(Boolean).map((p) => readProcess(Number(p))))).filter(
      (p): p is LabProcess => p !== undefined && p.pid !== anchor,
    );
    if (pattern === undefined) return procs;
    return procs.filter((p) =>
      typeof pattern === 'string' ? p.comm === pattern || path.basename(p.argv[0] ?? '') === pattern : pattern.test(p.argv.join(' ')),
    );
  }

  // -------------------------------------------------------------------------------------
  // sshd

  /** Pid of the host's sshd listener, or undefined when it is not running. */
  async sshdPid(hostName: string): Promise<number | undefined> {
    this.resolved(hostName);
    let pid: number;
    try {
      pid = Number((await readFile(this.sshdPidFile(hostName), 'utf8')).trim());
    } catch {
      return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const p = await readProcess(pid);
    return p && p.comm === 'sshd' && pidAlive(pid) ? pid : undefined;
  }

  /** The host's sshd log (LogLevel VERBOSE): where MaxStartups throttling would show. */
  sshdLogPath(hostName: string): string {
    this.resolved(hostName);
    return path.join(this.hostDir(hostName), 'sshd.log');
  }

  /** Stop the listener gracefully; sessions already open stay, as with a real sshd restart. */
  async stopSshd(hostName: string): Promise<void> {
    const pid = await this.sshdPid(hostName);
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    await waitFor(`sshd ${pid} of ${hostName} to exit`, 5_000, async () => (pidAlive(pid) ? undefined : true));
    await rm(this.sshdPidFile(hostName), { force: true });
  }

  /** Start the host's sshd again (no-op when running) and wait until it accepts connections. */
  async startSshd(hostName: string): Promise<void> {
    const h = this.resolved(hostName);
    if (!h.sshd) throw new Error(`test lab ${this.prefix}: host ${hostName} has no sshd`);
    if ((await this.sshdPid(hostName)) !== undefined) return;
    const dir = this.hostDir(hostName);
    const pid = this.anchor(hostName);
    await run(['nsenter', '-t', String(pid), '-n', '-m', '-u', '--', '/usr/sbin/sshd', '-f', path.join(dir, 'sshd_config'), '-E', path.join(dir, 'sshd.log')], {
      what: `start sshd on ${hostName}`,
    });
    await this.waitSshd(h);
  }

  /**
   * Kill -9 the listener and every sshd session process of the host, as if the host had
   * crashed. With `sessionCommands`, also the commands those sessions run.
   */
  async killSshdHard(hostName: string, opts: { sessionCommands?: boolean } = {}): Promise<number[]> {
    const all = await this.processes(hostName);
    const victims = new Set(all.filter((p) => p.comm === 'sshd').map((p) => p.pid));
    if (opts.sessionCommands) {
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of all) {
          if (!victims.has(p.pid) && victims.has(p.ppid)) {
            victims.add(p.pid);
            grew = true;
          }
        }
      }
    }
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await waitFor(`sshd processes of ${hostName} to die`, 5_000, async () => ([...victims].some(pidAlive) ? undefined : true));
    await rm(this.sshdPidFile(hostName), { force: true });
    return [...victims];
  }

  /** Give the host a new host key and restart its sshd; returns the new public key line. */
  async regenerateHostKey(hostName: string): Promise<string> {
    const h = this.resolved(hostName);
    if (!h.sshd) throw new Error(`test lab ${this.prefix}: host ${hostName} has no sshd`);
    const key = this.hostKeyPath(hostName);
    await rm(key, { force: true });
    await rm(`${key}.pub`, { force: true });
    await sshKeygen(key, `${h.namespace} host key (regenerated)`);
    await this.stopSshd(hostName);
    await this.startSshd(hostName);
    return this.hostPublicKey(hostName);
  }

  /** `ssh-ed25519 AAAA…` of the host's current key, without comment. */
  async hostPublicKey(hostName: string): Promise<string> {
    const text = await readFile(`${this.hostKeyPath(hostName)}.pub`, 'utf8');
    return text.trim().split(/\s+/).slice(0, 2).join(' ');
  }

  /** known_hosts lines (OpenSSH format, plain names) for every host with sshd. */
  async knownHostsLines(): Promise<string[]> {
    const lines: string[] = [];
    for (const h of this.plan.hosts) {
      if (!h.sshd) continue;
      const name = h.sshPort === 22 ? h.sshHost! : `[${h.sshHost}]:${h.sshPort}`;
      lines.push(`${name} ${await this.hostPublicKey(h.name)}`);
    }
    return lines;
  }

  /** Write every host's current key into the lab's known_hosts, so strict checking passes. */
  async trustHostKeys(): Promise<string> {
    await writeFile(this.paths.knownHosts, (await this.knownHostsLines()).join('\n') + '\n', { mode: 0o600 });
    return this.paths.knownHosts;
  }

  /** Empty the lab's known_hosts. */
  async resetKnownHosts(): Promise<void> {
    await writeFile(this.paths.knownHosts, '', { mode: 0o600 });
  }

  /** Arguments for OpenSSH to reach a lab host: `ssh ...lab.sshArgs('ovs-a') cmd`; as root unless `user` is given. */
  sshArgs(hostName: string, user?: string): string[] {
    const h = this.resolved(hostName);
    if (!h.sshd) throw new Error(`test lab ${this.prefix}: host ${hostName} has no sshd`);
    return ['-F', this.paths.sshConfig, ...(user ? ['-l', user] : []), h.name];
  }

  /**
   * Over SSH (OpenSSH, the lab's ssh_config): each host says its own name, and each OVS
   * host's ovs-vsctl reaches its own database. Throws with every failure.
   */
  async verifyOverSsh(): Promise<void> {
    this.assertNamespaces();
    const failures: string[] = [];
    await mapLimit(
      this.plan.hosts.filter((h) => h.sshd),
      8,
      async (h) => {
        const script = h.ovs ? 'hostname; ovs-vsctl get Open_vSwitch . external_ids:lab-host' : 'hostname';
        const r = await run(['ssh', ...this.sshArgs(h.name), script], { check: false, timeoutMs: 20_000 });
        const want = h.ovs ? `${h.name}\n${h.name}\n` : `${h.name}\n`;
        if (r.code !== 0 || r.stdout.replace(/"/g, '') !== want) {
          failures.push(`${h.name}: exit ${r.code}, printed ${JSON.stringify(r.stdout)} (want ${JSON.stringify(want)}) ${r.stderr.trim()}`);
        }
      },
    );
    if (failures.length) throw new Error(`test lab ${this.prefix}: hosts do not answer over SSH as they should:\n${failures.join('\n')}`);
  }

  // -------------------------------------------------------------------------------------
  // Tearing down

  /**
   * Remove everything with the lab's prefix: processes in its namespaces, the namespaces,
   * root-namespace links, the work dir. Safe to call twice, and after a failed up.
   */
  async down(): Promise<void> {
    if (this.isDown) return;
    // Our work dir gone means another teardown (a newer up() with our prefix, here or in
    // another process) already removed this lab; the prefix may be someone else's now.
    if (!existsSync(this.workDir)) {
      this.markDown();
      return;
    }
    this.downing ??= (async () => {
      const t = Date.now();
      await TestLab.teardown(this.prefix, { guardRoute: this.options.guardRoute });
      this.timings.down = Date.now() - t;
    })();
    try {
      await this.downing;
      this.markDown();
    } finally {
      this.downing = undefined;
    }
  }

  private markDown(): void {
    this.isDown = true;
    this.anchors.clear();
    if (owners.get(this.prefix) === this) owners.delete(this.prefix);
    if (liveLabs.get(this.prefix)?.workDir === this.workDir) liveLabs.delete(this.prefix);
    if (liveLabs.size === 0) uninstallHooks();
  }

  /** False once down() has run, or once another up() with the same prefix replaced this lab. */
  get isUp(): boolean {
    return !this.isDown && existsSync(this.workDir);
  }

  /** Tear down whatever a lab with this prefix left, and check nothing is left. */
  static async teardown(prefix: string, opts: { guardRoute?: boolean } = {}): Promise<void> {
    if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) throw new Error(`test lab: bad prefix ${JSON.stringify(prefix)}`);
    await run(['sh', '-c', TEARDOWN_SCRIPT, 'sh', prefix, os.tmpdir(), opts.guardRoute === false ? '0' : '1'], {
      what: `tear down lab ${prefix}`,
      timeoutMs: 60_000,
    });
    // Links of a namespace that is going away may linger for a moment.
    const left = await waitFor(`lab ${prefix} to disappear`, 3_000, async () => {
      const l = await listOurs(prefix);
      return l.namespaces.length + l.links.length === 0 ? l : undefined;
    }).catch(async () => listOurs(prefix));
    const dirs = (await readdir(os.tmpdir())).filter((e) => e.startsWith(`${prefix}-lab-`));
    if (left.namespaces.length || left.links.length || dirs.length) {
      throw new Error(
        `tear down lab ${prefix}: left behind namespaces [${left.namespaces.join(', ')}], links [${left.links.join(', ')}], dirs [${dirs.join(', ')}]`,
      );
    }
  }

  /** What is up for a prefix, for the CLI and for tests that check teardown. */
  static async status(prefix: string): Promise<{ namespaces: string[]; links: string[]; workDirs: string[]; processes: LabProcess[] }> {
    const { namespaces, links } = await listOurs(prefix);
    const workDirs = (await readdir(os.tmpdir())).filter((e) => e.startsWith(`${prefix}-lab-`)).map((e) => path.join(os.tmpdir(), e));
    const processes: LabProcess[] = [];
    for (const ns of namespaces) {
      const r = await run(['ip', 'netns', 'pids', ns], { check: false });
      for (const p of r.stdout.split(/\s+/).filter(Boolean)) {
        const proc = await readProcess(Number(p));
        if (proc) processes.push(proc);
      }
    }
    return { namespaces, links, workDirs, processes };
  }
}
