// What `npm run demo` and `npm test` must do first on this machine, decided from what is
// missing: a pure function of the facts that scripts/setup.mjs gathers, so that every case
// (root on Debian, not root, another distribution, all there already) is tested without one.
// Node's own modules only: this runs before `npm ci`.

/** The Debian packages the test lab's hosts need (real sshd, OVS, tcpdump, nftables in namespaces). */
export const LAB_PACKAGES = [
  'openssh-server', 'openssh-client', 'openvswitch-switch', 'tcpdump', 'iproute2', 'nftables',
  'iputils-ping', 'ethtool', 'procps', 'util-linux', 'sudo',
];
/** What the editor needs: code-server's install builds native modules against these. */
export const EDITOR_BUILD_PACKAGES = ['libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev', 'pkg-config', 'g++', 'make', 'python3'];
/** The browser the end-to-end tests drive. */
export const BROWSER_PACKAGES = ['chromium'];
/** What the tests read their results back with: tshark and capinfos check a merged capture's pcapng. */
export const TEST_READER_PACKAGES = ['tshark'];

/** Packages each purpose needs. `demo` opens code-server in the user's own browser. */
export function packagesFor(purpose) {
  if (purpose === 'demo') return [...LAB_PACKAGES, ...EDITOR_BUILD_PACKAGES];
  return [...LAB_PACKAGES, ...EDITOR_BUILD_PACKAGES, ...BROWSER_PACKAGES, ...TEST_READER_PACKAGES];
}

/**
 * Whether node_modules matches package-lock.json, from npm's own record of what it installed
 * (node_modules/.package-lock.json). Every package of the lock must be there at its version,
 * except optional ones (platform-specific binaries are left out elsewhere).
 * @param {object | undefined} lock package-lock.json
 * @param {object | undefined} installed node_modules/.package-lock.json, undefined when absent
 * @returns {{ state: 'ok' } | { state: 'missing' | 'stale', why: string }}
 */
export function nodeModulesState(lock, installed) {
  if (!installed) return { state: 'missing', why: 'node_modules is not installed' };
  const wanted = lock?.packages ?? {};
  const have = installed.packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || !path.includes('node_modules/')) continue;
    const got = have[path];
    if (!got) {
      if (entry.optional) continue;
      return { state: 'stale', why: `${path.replace(/^.*node_modules\//, '')} is not installed` };
    }
    if (got.version !== entry.version) {
      return { state: 'stale', why: `${path.replace(/^.*node_modules\//, '')} is ${got.version}, the lock wants ${entry.version}` };
    }
  }
  return { state: 'ok' };
}

/**
 * The steps, in order. A step is one of
 *   { kind: 'apt', packages, command }          install the missing packages (root, apt-get there)
 *   { kind: 'tell', command, why }              cannot do it here: print the one command, stop
 *   { kind: 'stop', why }                       cannot go on at all (not Linux)
 *   { kind: 'npm-ci', why }
 *   { kind: 'code-server' }                     into its cache; a no-op when it is there
 * @param {{ purpose: 'demo' | 'test' | 'ci', platform: string, root: boolean, hasApt: boolean,
 *   missingPackages: string[] | undefined, missingTools: string[],
 *   nodeModules: { state: string, why?: string } }} facts
 *   missingPackages: packages dpkg says are not installed (undefined without dpkg);
 *   missingTools: without dpkg, the commands that are not on PATH.
 */
export function planSetup(facts) {
  if (facts.platform !== 'linux') {
    return [{ kind: 'stop', why: `the test lab builds hosts in Linux network namespaces; this is ${facts.platform}` }];
  }
  const steps = [];
  const missing = facts.missingPackages ?? [];
  if (missing.length > 0) {
    const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    if (facts.root && facts.hasApt) {
      steps.push({ kind: 'apt', packages: missing, command: `apt-get update && ${install}` });
    } else {
      const command = facts.root ? `apt-get update && ${install}` : `sudo sh -c 'apt-get update && ${install}'`;
      return [{ kind: 'tell', command, why: `these packages are missing: ${missing.join(' ')}` }];
    }
  } else if (facts.missingPackages === undefined && facts.missingTools.length > 0) {
    return [
      {
        kind: 'tell',
        command: `install the packages that provide: ${facts.missingTools.join(' ')}`,
        why: `not a Debian or Ubuntu machine (no dpkg), and these commands are missing: ${facts.missingTools.join(' ')}`,
      },
    ];
  }
  if (facts.nodeModules.state !== 'ok') steps.push({ kind: 'npm-ci', why: facts.nodeModules.why ?? facts.nodeModules.state });
  // The demo builds its hosts in network namespaces: root or nothing. The tests run what they
  // can and say which suites need root (they skip those, and code-server with them).
  if (!facts.root) {
    if (facts.purpose === 'demo') return [{ kind: 'tell', command: 'sudo npm run demo', why: 'the demo builds its hosts in network namespaces, which needs root' }];
    return steps;
  }
  steps.push({ kind: 'code-server' });
  return steps;
}

/** Commands that stand for the lab's packages where dpkg cannot be asked. */
export const TOOLS_FOR_PACKAGES = ['sshd', 'ssh', 'ovs-vsctl', 'ovs-vswitchd', 'tcpdump', 'ip', 'nft', 'ping', 'ethtool', 'sudo'];
