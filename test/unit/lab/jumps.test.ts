// Jump hosts: names that exist, chains that end.

import { strict as assert } from 'node:assert';
import { expectExactly, expectOne, loadClean, yaml } from './helpers';

describe('lab jumps', () => {
  it('builds each route outermost first, ending at a jump outside the lab', () => {
    const lab = loadClean(yaml`
      version: 1
      name: t
      hosts:
        gw: { ssh: { jump: "admin@bastion.example:2222" } }
        ovs: { ssh: { jump: gw } }
        vm: { ssh: { jump: ovs } }
        direct: {}
    `);
    assert.deepEqual(lab.routes, {
      gw: { host: 'gw', jumps: ['admin@bastion.example:2222'] },
      ovs: { host: 'ovs', jumps: ['admin@bastion.example:2222', 'gw'] },
      vm: { host: 'vm', jumps: ['admin@bastion.example:2222', 'gw', 'ovs'] },
      direct: { host: 'direct', jumps: [] },
    });
  });

  it('reports a bare jump name that is no host of the lab, with the likely one', () => {
    expectOne('version: 1\nname: t\nhosts:\n  ovs-a: {}\n  vm: { ssh: { jump: ovs-b } }\n', '5:22', 'error', 'jump ovs-b names no host of the lab (did you mean ovs-a?); for a machine outside the lab write user@ovs-b or ovs-b:22');
  });

  it('reports a host that jumps through itself', () => {
    expectOne('version: 1\nname: t\nhosts:\n  a: { ssh: { jump: a } }\n', '4:21', 'error', 'a jumps through itself; remove ssh.jump or name another host');
  });

  it('explains a self-jump inherited from defaults.ssh, once, where defaults says it', () => {
    expectOne(
      'version: 1\nname: t\ndefaults: { ssh: { jump: gw } }\nhosts:\n  gw: {}\n  vm: {}\n',
      '3:26',
      'error',
      'gw inherits jump gw from defaults.ssh and would jump through itself; set jump on the hosts behind gw instead of in defaults.ssh',
    );
  });

  it('spells out a longer cycle from each host on it, but not from a host that only leads into it', () => {
    expectExactly(
      yaml`
        version: 1
        name: t
        hosts:
          a: { ssh: { jump: b } }
          b: { ssh: { jump: c } }
          c: { ssh: { jump: a } }
          d: { ssh: { jump: a } }
      `,
      [
        ['4:21', 'error', 'jump cycle: a → b → c → a; one of these hosts must be reachable without jumping through the others'],
        ['5:21', 'error', 'jump cycle: b → c → a → b'],
        ['6:21', 'error', 'jump cycle: c → a → b → c'],
      ],
    );
  });
});
