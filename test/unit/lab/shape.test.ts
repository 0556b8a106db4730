// Rules about one value alone, checked as the file is read: keys, types, required fields,
// enums, numeric ranges, name patterns, addresses, SSH settings.

import { strict as assert } from 'node:assert';
import { expectOne, loadClean, yaml } from './helpers';

describe('lab file: keys, types and required fields', () => {
  it('suggests the key an unknown key is a typo of', () => {
    expectOne(
      yaml`
        version: 1
        name: t
        hosts:
          a:
            interfaces:
              eth0: { adress: 10.0.0.1/24 }
      `,
      '6:15',
      'error',
      'unknown key "adress" in interface eth0; did you mean "address"?',
    );
    expectOne('version: 1\nname: t\nhosts: { a: {} }\nsegmnets: {}\n', '4:1', 'error', 'unknown key "segmnets" in the lab file; did you mean "segments"?');
    expectOne('version: 1\nname: t\nhosts: { a: { ssh: { identity_file: k } } }\n', '3:22', 'error', 'did you mean "identityFile"?');
  });

  it('lists the known keys when no key is close', () => {
    expectOne('version: 1\nname: t\nhosts: { a: { colour: red } }\n', '3:15', 'error', 'unknown key "colour" in host a; known keys are ssh, sudo, interfaces, bridges');
  });

  it('says where a key belongs when it is one level off', () => {
    expectOne('version: 1\nname: t\nhosts: { a: { user: root } }\n', '3:15', 'error', 'unknown key "user" in host a: SSH settings go under ssh: write ssh: { user: … }');
    expectOne('version: 1\nname: t\ndefaults: { user: root }\nhosts: { a: {} }\n', '3:13', 'error', 'SSH settings go under defaults.ssh');
    expectOne('version: 1\nname: t\nssh: { user: root }\nhosts: { a: {} }\n', '3:1', 'error', 'SSH settings for every host go under defaults.ssh');
    expectOne('version: 1\nname: t\ndefaults: { ssh: { host: x } }\nhosts: { a: {} }\n', '3:20', 'error', 'each host has its own address: set ssh.host on each host instead');
    expectOne('version: 1\nname: t\nhosts: { a: { interfaces: { br0: { ports: [eth0] } } } }\n', '3:36', 'error', 'ports is a bridge setting: declare this under bridges: instead of interfaces:');
    expectOne(
      'version: 1\nname: t\nhosts: { a: { bridges: { br0: { ports: [{ name: p, type: internal, address: 10.0.0.1/24 }] } } } }\n',
      '3:68',
      'error',
      "a port has no address of its own here: declare the port's name under interfaces: with its address",
    );
  });

  it('ignores x- keys at the top level only', () => {
    loadClean('version: 1\nname: t\nx-anything: { whatever: 1 }\nhosts: { a: {} }\n');
    expectOne('version: 1\nname: t\nhosts: { a: { x-note: 1 } }\n', '3:15', 'error', 'unknown key "x-note" in host a');
  });

  it('requires version 1', () => {
    expectOne('name: t\nhosts: { a: {} }\n', '1:1', 'error', 'the lab file has no version; add "version: 1" as its first line');
    expectOne('version: 2\nname: t\nhosts: { a: {} }\n', '1:10', 'error', 'version must be 1, the only version of the lab format, not the number 2');
    expectOne('version: "1"\nname: t\nhosts: { a: {} }\n', '1:10', 'error', 'version must be 1, the only version of the lab format, not the text "1"');
  });

  it('requires a name that is lowercase letters, digits and -', () => {
    expectOne('version: 1\nhosts: { a: {} }\n', '1:1', 'error', 'the lab has no name; add e.g. "name: my-lab"');
    expectOne('version: 1\nname: My_Lab\nhosts: { a: {} }\n', '2:7', 'error', 'lab name "My_Lab" is not allowed: use lowercase letters, digits and "-"');
    expectOne('version: 1\nname: -lab\nhosts: { a: {} }\n', '2:7', 'error', 'lab name "-lab" is not allowed');
    assert.equal(loadClean('version: 1\nname: 2024\nhosts: { a: {} }\n').name, '2024', 'a name YAML reads as a number is taken as written');
  });

  it('requires at least one host, in a map', () => {
    expectOne('version: 1\nname: t\n', '1:1', 'error', 'the lab has no hosts; add a hosts: map with at least one host');
    expectOne('version: 1\nname: t\nhosts: {}\n', '3:1', 'error', 'hosts is empty; a lab needs at least one host');
    expectOne('version: 1\nname: t\nhosts:\n', '3:1', 'error', 'hosts is empty; a lab needs at least one host');
    expectOne('version: 1\nname: t\nhosts: [a, b]\n', '3:8', 'error', 'hosts must be a map of keys and values, not a list');
    expectOne('version: 1\nname: t\nhosts: { a: 5 }\n', '3:13', 'error', 'host a must be a map of keys and values (or {}), not the number 5');
  });

  it('reads an object written as key: with nothing after it as {}', () => {
    const lab = loadClean('version: 1\nname: t\nhosts:\n  a:\n    interfaces:\n      eth0:\n');
    assert.deepEqual(lab.hosts[0].interfaces.map((i) => i.name), ['eth0']);
  });

  it('refuses a key that is not a plain name', () => {
    expectOne('version: 1\nname: t\nhosts: { a: {} }\n? [x]\n: 1\n', '4:3', 'error', 'a key must be a plain name, not a list');
  });
});

describe('lab file: numbers, booleans and enums', () => {
  const iface = (body: string) => `version: 1\nname: t\nhosts:\n  a:\n    interfaces:\n      eth0: { ${body} }\n`;
  // `      eth0: { ` is 14 characters: the first value's key starts at column 15.

  it('holds mtu to 68..65535, whole, unquoted', () => {
    expectOne(iface('mtu: 70000'), '6:20', 'error', 'mtu must be a whole number from 68 to 65535, not 70000');
    expectOne(iface('mtu: 67'), '6:20', 'error', 'not 67');
    expectOne(iface('mtu: 1500.5'), '6:20', 'error', 'not 1500.5');
    expectOne(iface('mtu: "1500"'), '6:20', 'error', 'mtu must be a whole number from 68 to 65535, not the text "1500"; remove the quotes');
    expectOne(iface('mtu: .inf'), '6:20', 'error', 'not .inf');
    assert.equal(loadClean(iface('mtu: 9000')).hosts[0].interfaces[0].mtu, 9000);
  });

  it('takes only true or false for flags, and says why yes is not one', () => {
    expectOne(iface('underlay: yes'), '6:25', 'error', 'underlay must be true or false, not the text "yes" (in YAML 1.2, yes and no are text)');
    expectOne('version: 1\nname: t\nhosts: { a: { sudo: 1 } }\n', '3:21', 'error', 'sudo must be true or false, not the number 1');
  });

  it('takes only the listed values for enums, with the closest one', () => {
    const bridge = (body: string) => `version: 1\nname: t\nhosts:\n  a:\n    bridges:\n      br0: { ${body} }\n`;
    // `      br0: { ` is 13 characters: the first key starts at column 14.
    expectOne(bridge('kind: ovz'), '6:20', 'error', 'kind must be one of ovs, linux, not "ovz"; did you mean ovs?');
    expectOne(bridge('datapath: kernel'), '6:24', 'error', 'datapath must be one of system, netdev, not "kernel"');
    expectOne(bridge('ports: [{ name: p, type: vxlam, remote: 1.2.3.4 }]'), '6:39', 'error', 'type must be one of system, internal, vxlan, geneve, gre, patch, not "vxlam"; did you mean vxlan?');
    expectOne(
      'version: 1\nname: t\ndefaults: { ssh: { strictHostKeyChecking: false } }\nhosts: { a: {} }\n',
      '3:43',
      'error',
      'strictHostKeyChecking must be one of yes, accept-new, no, not false',
    );
  });
});

describe('lab file: names', () => {
  it('holds interface, bridge and port names to Linux IFNAMSIZ and a safe pattern', () => {
    const lab = (ifname: string) => `version: 1\nname: t\nhosts:\n  a:\n    interfaces:\n      ${ifname}: {}\n`;
    expectOne(lab('averyveryverylongname'), '6:7', 'error', 'interface name "averyveryverylongname" is 21 characters long; Linux allows at most 15 (IFNAMSIZ)');
    expectOne(lab('"eth 0"'), '6:7', 'error', 'interface name "eth 0" is not allowed: use up to 15 letters, digits, "_", "." and "-"');
    expectOne(lab('"eth0:1"'), '6:7', 'error', 'interface name "eth0:1" is not allowed');
    expectOne(lab('"a/b"'), '6:7', 'error', 'interface name "a/b" is not allowed');
    expectOne(lab('-eth0'), '6:7', 'error', 'interface name "-eth0" is not allowed');
    loadClean(lab('eth0.100'));
    loadClean(lab('fifteen-chars15'));
    expectOne('version: 1\nname: t\nhosts: { a: { bridges: { "br 0": {} } } }\n', '3:26', 'error', 'bridge name "br 0" is not allowed');
    expectOne('version: 1\nname: t\nhosts: { a: { bridges: { br0: { ports: [sixteen-chars-16] } } } }\n', '3:41', 'error', 'port name "sixteen-chars-16" is 16 characters long');
  });

  it('holds host, segment and script names to a safe pattern', () => {
    expectOne('version: 1\nname: t\nhosts: { "a b": {} }\n', '3:10', 'error', 'host name "a b" is not allowed: use letters, digits, "_", "." and "-"');
    expectOne('version: 1\nname: t\nhosts: { a: {} }\nsegments: { "-s": {} }\n', '4:13', 'error', 'segment name "-s" is not allowed');
    expectOne('version: 1\nname: t\nhosts: { a: {} }\nscripts: { "x;y": { run: "true" } }\n', '4:12', 'error', 'script name "x;y" is not allowed');
  });
});

describe('lab file: addresses', () => {
  const iface = (address: string) => `version: 1\nname: t\nhosts:\n  a:\n    interfaces:\n      eth0: { address: ${address} }\n`;
  // The address value starts at column 24.

  it('takes IPv4 and IPv6 CIDR, as one string or a list, with the host part', () => {
    const lab = loadClean(iface('[192.168.1.1/24, "2001:db8::1/64", 10.0.0.1/32]'));
    assert.deepEqual(lab.hosts[0].interfaces[0].addresses, ['192.168.1.1/24', '2001:db8::1/64', '10.0.0.1/32']);
    assert.deepEqual(loadClean(iface('2001:db8::1/64')).hosts[0].interfaces[0].addresses, ['2001:db8::1/64']);
  });

  it('says what is wrong with an address that is not valid CIDR', () => {
    expectOne(iface('192.168.1.1'), '6:24', 'error', 'address "192.168.1.1" has no prefix length; write it as CIDR, e.g. 192.168.1.1/24');
    expectOne(iface('192.168.1.300/24'), '6:24', 'error', 'address "192.168.1.300/24" has an invalid IPv4 address "192.168.1.300"');
    expectOne(iface('192.168.01.1/24'), '6:24', 'error', 'has an invalid IPv4 address "192.168.01.1"');
    expectOne(iface('192.168.1.1/33'), '6:24', 'error', 'has an invalid prefix length "/33": IPv4 takes 0 to 32');
    expectOne(iface('"2001:db8::1/129"'), '6:24', 'error', 'has an invalid prefix length "/129": IPv6 takes 0 to 128');
    expectOne(iface('"2001:db8:::1/64"'), '6:24', 'error', 'has an invalid IPv6 address "2001:db8:::1"');
    expectOne(iface('myhost/24'), '6:24', 'error', 'has an invalid IPv4 address "myhost"');
    expectOne(iface('[10.0.0.1/24, 10.0.0.2]'), '6:38', 'error', 'address "10.0.0.2" has no prefix length');
    expectOne(iface('{ ip: 10.0.0.1 }'), '6:24', 'error', 'address must be a list, e.g. [a, b], not a map');
  });
});

describe('lab file: SSH settings', () => {
  const ssh = (body: string) => `version: 1\nname: t\nhosts:\n  a:\n    ssh: { ${body} }\n`;
  // `    ssh: { ` is 11 characters: the first key starts at column 12.

  it('takes an IP, a DNS name or an alias as host, and nothing that ssh could read as an option', () => {
    loadClean(ssh('host: 203.0.113.10'));
    loadClean(ssh('host: "2001:db8::10"'));
    loadClean(ssh('host: dfw-gw.example.net'));
    expectOne(ssh('host: -oProxyCommand=x'), '5:18', 'error', 'ssh host "-oProxyCommand=x" must not start with "-" (ssh would read it as an option)');
    expectOne(ssh('host: "a b"'), '5:18', 'error', 'ssh host "a b" is not a safe SSH host');
    expectOne(ssh('host: 203.0.113.300'), '5:18', 'error', 'ssh host "203.0.113.300" is not a valid IPv4 address');
  });

  it('holds port to 1..65535 and user to a strict pattern', () => {
    expectOne(ssh('port: 0'), '5:18', 'error', 'port must be a whole number from 1 to 65535, not 0');
    expectOne(ssh('port: 65536'), '5:18', 'error', 'not 65536');
    expectOne(ssh('user: -oProxyCommand=x'), '5:18', 'error', 'ssh user "-oProxyCommand=x" must not start with "-"');
    expectOne(ssh('user: "ro ot"'), '5:18', 'error', 'ssh user "ro ot" is not a safe user name');
    expectOne(ssh('user: "$(id)"'), '5:18', 'error', 'ssh user "$(id)" is not a safe user name');
  });

  it('takes paths with spaces, but not control characters or a leading -', () => {
    loadClean(ssh('identityFile: "~/keys/my key"'));
    expectOne(ssh('identityFile: -i'), '5:26', 'error', 'identityFile "-i" must not start with "-"');
    expectOne(ssh('knownHostsFile: "a\\tb"'), '5:28', 'error', 'knownHostsFile "a\\tb" contains a control character');
    expectOne(ssh('identityFile: ""'), '5:26', 'error', 'identityFile "" is empty');
  });

  it('takes a jump as a host of the lab or [user@]host[:port]', () => {
    const lab = loadClean(ssh('jump: "admin@bastion.example:2222"'));
    assert.deepEqual(lab.routes.a, { host: 'a', jumps: ['admin@bastion.example:2222'] });
    loadClean(ssh('jump: "[2001:db8::1]:22"'));
    loadClean(ssh('jump: "bastion:22"'));
    expectOne(ssh('jump: "a@b,c@d"'), '5:18', 'error', 'jump "a@b,c@d" lists several jumps; give one, and chain jumps by giving the jump host its own ssh.jump');
    expectOne(ssh('jump: "bastion:99999"'), '5:18', 'error', 'has a port "99999" that is not a number from 1 to 65535');
    expectOne(ssh('jump: "2001:db8::1"'), '5:18', 'error', 'has an IPv6 host that is not in brackets: write [2001:db8::1]:22');
    expectOne(ssh('jump: "-J@x"'), '5:18', 'error', 'has a user "-J" that must not start with "-"');
    expectOne(ssh('jump: "-x"'), '5:18', 'error', 'jump "-x" must not start with "-"');
  });
});

describe('lab file: ports as read', () => {
  const ports = (list: string) => `version: 1\nname: t\nhosts:\n  a:\n    bridges:\n      br0:\n        ports: [${list}]\n`;
  // `        ports: [` is 16 characters: the first port starts at column 17.

  it('requires a name, and a port to be a name or a map', () => {
    expectOne(ports('{ type: internal }'), '7:17', 'error', 'this port has no name; add one, e.g. { name: vx0, type: vxlan, remote: ovs-b }');
    expectOne(ports('[eth0]'), '7:17', 'error', 'a port is the name of an interface to enslave or a map such as { name: vx0, type: vxlan, remote: ovs-b }, not a list');
  });

  it('holds vni, dstport and vlan to their ranges', () => {
    expectOne(ports('{ name: g, type: gre, remote: 1.2.3.4, vni: 4294967296 }'), '7:61', 'error', 'vni must be a whole number from 0 to 4294967295, not 4294967296');
    expectOne(ports('{ name: v, type: vxlan, remote: 1.2.3.4, dstport: 0 }'), '7:67', 'error', 'dstport must be a whole number from 1 to 65535, not 0');
    expectOne(ports('{ name: i, type: internal, vlan: 4096 }'), '7:50', 'error', 'vlan must be a whole number from 0 to 4095, not 4096');
  });

  it('takes remote as a host name or an IP, and local as an IP', () => {
    expectOne(ports('{ name: v, type: vxlan, remote: 1.2.3.4/24 }'), '7:49', 'error', 'remote "1.2.3.4/24" is an address with a prefix length; write the address alone: 1.2.3.4');
    expectOne(ports('{ name: v, type: vxlan, remote: 1.2.3.256 }'), '7:49', 'error', 'remote "1.2.3.256" is not a valid IPv4 address');
    expectOne(ports('{ name: v, type: vxlan, remote: "fe80::1%eth0" }'), '7:49', 'error', 'remote "fe80::1%eth0" is not a valid IPv6 address');
    expectOne(ports('{ name: v, type: vxlan, remote: 1.2.3.4, local: 10.0.0.1/24 }'), '7:65', 'error', 'local "10.0.0.1/24" must be an IP address without prefix length, e.g. 203.0.113.10');
  });
});

describe('lab file: segments and scripts as read', () => {
  it('takes segment members as host:interface', () => {
    const seg = (members: string) => `version: 1\nname: t\nhosts: { a: { interfaces: { eth0: {} } } }\nsegments:\n  s: { members: [${members}] }\n`;
    expectOne(seg('a'), '5:18', 'error', 'segment member "a" must be host:interface, e.g. ovs-dfw:eth2');
    expectOne(seg('"a:eth0;x"'), '5:18', 'error', 'interface name "eth0;x" is not allowed');
    expectOne(seg('[a]'), '5:18', 'error', 'a segment member must be text, not a list');
    expectOne('version: 1\nname: t\nhosts: { a: {} }\nsegments: { s: { members: a:eth0 } }\n', '4:27', 'error', 'members must be a list, e.g. [a, b], not the text "a:eth0"');
  });

  it('requires run, a positive timeout, a list of hosts', () => {
    const script = (body: string) => `version: 1\nname: t\nhosts: { a: {} }\nscripts:\n  s: { ${body} }\n`;
    // `  s: { ` is 7 characters: the first key starts at column 8.
    expectOne(script('description: no run'), '5:3', 'error', 'script s has no run; add run: with the shell text to execute on each host');
    expectOne(script('run: ""'), '5:13', 'error', 'run of script s is empty; give the shell text to execute');
    expectOne(script('run: "true", timeout: 0'), '5:30', 'error', 'timeout must be a number of seconds above 0, not 0');
    expectOne(script('run: "true", timeout: 30s'), '5:30', 'error', 'timeout must be a number of seconds above 0, not the text "30s"');
    expectOne(script('run: "true", hosts: a'), '5:28', 'error', 'hosts must be a list, e.g. [a, b], not the text "a"');
    expectOne(script('run: "true", sudo: "yes"'), '5:27', 'error', 'sudo must be true or false');
    const lab = loadClean(script('run: "true", timeout: 2.5, sudo: true, description: Check'));
    assert.deepEqual([lab.scripts[0].timeoutSeconds, lab.scripts[0].sudo, lab.scripts[0].description], [2.5, true, 'Check']);
  });
});
