// Small labs the rule tests build on, with line numbers the tests can count on.

import { yaml } from './helpers';

/**
 * Two hosts, a (10.0.0.1) and b (10.0.0.2), each with an underlay eth0 and a bridge br0 whose
 * only port is the text given. The ports are on line 10 (a) and line 17 (b), from column 13.
 */
export function twoHosts(aPort: string, bPort: string, kind: 'ovs' | 'linux' = 'ovs'): string {
  return yaml`
    version: 1
    name: t
    hosts:
      a:
        interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
        bridges:
          br0:
            kind: ${kind}
            ports:
              - ${aPort}
      b:
        interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
        bridges:
          br0:
            kind: ${kind}
            ports:
              - ${bPort}
  `;
}

/** One host a whose bridges are the text given, indented under `bridges:`: from line 7, column 7. */
export function oneHost(bridges: string, interfaces = '{}'): string {
  const body = bridges.replace(/^\n/, '').replace(/\n$/, '');
  return `version: 1\nname: t\nhosts:\n  a:\n    interfaces: ${interfaces}\n    bridges:\n${body
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`;
}
