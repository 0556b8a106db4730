// schemas/lab.schema.json, the editor's view of the format, held to the validator's own tables
// (src/lab/fields.ts, src/lab/names.ts) so that completion and validation never disagree.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BRIDGE_KINDS, DATAPATHS, KNOWN_KEYS, LIMITS, PORT_TYPES, STRICT_HOST_KEY_CHECKING, type ObjectKind } from '../../../src/lab/fields';
import { loadLabText } from '../../../src/lab/load';
import { HOST_NAME_PATTERN, INTERFACE_NAME_PATTERN, LAB_NAME_PATTERN, PATH_PATTERN, SSH_HOST_PATTERN, SSH_USER_PATTERN } from '../../../src/lab/names';
import { EXAMPLES, FIXTURES, ROOT } from './helpers';
import { checkAgainstSchema } from './jsonSchemaSubset';

type Json = Record<string, any>;
const schema: Json = JSON.parse(readFileSync(join(ROOT, 'schemas', 'lab.schema.json'), 'utf8'));
const defs: Json = schema.definitions;

/** The schema object that describes each object kind of the validator. */
function schemaFor(kind: ObjectKind): Json {
  return kind === 'lab' ? schema : defs[kind];
}

const readYaml = (path: string) => parse(readFileSync(path, 'utf8'), { merge: true });

describe('lab JSON Schema', () => {
  it('is draft-07 and closes every object', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const kind of Object.keys(KNOWN_KEYS) as ObjectKind[]) assert.equal(schemaFor(kind).additionalProperties, false, kind);
  });

  it('knows exactly the keys the validator knows, object by object', () => {
    for (const kind of Object.keys(KNOWN_KEYS) as ObjectKind[]) {
      const s = schemaFor(kind);
      assert.ok(s, `the schema describes ${kind}`);
      assert.deepEqual(Object.keys(s.properties).sort(), [...KNOWN_KEYS[kind]].sort(), `keys of ${kind}`);
    }
  });

  it('describes every key', () => {
    for (const kind of Object.keys(KNOWN_KEYS) as ObjectKind[]) {
      for (const [key, sub] of Object.entries<Json>(schemaFor(kind).properties)) {
        const described = sub.description ?? (sub.$ref && defs[sub.$ref.replace('#/definitions/', '')].description);
        assert.ok(described, `${kind}.${key} has a description`);
      }
    }
  });

  it('uses the validator’s name patterns', () => {
    const p = (re: RegExp) => re.source;
    assert.equal(schema.properties.name.pattern, p(LAB_NAME_PATTERN));
    for (const map of ['hosts', 'segments', 'scripts']) assert.equal(schema.properties[map].propertyNames.pattern, p(HOST_NAME_PATTERN), map);
    assert.equal(defs.host.properties.interfaces.propertyNames.pattern, p(INTERFACE_NAME_PATTERN));
    assert.equal(defs.host.properties.bridges.propertyNames.pattern, p(INTERFACE_NAME_PATTERN));
    assert.equal(defs.port.properties.name.pattern, p(INTERFACE_NAME_PATTERN));
    assert.equal(defs.port.properties.peer.pattern, p(INTERFACE_NAME_PATTERN));
    assert.equal(defs.portEntry.anyOf[0].pattern, p(INTERFACE_NAME_PATTERN));
    assert.equal(defs.port.properties.remote.anyOf[0].pattern, p(HOST_NAME_PATTERN));
    assert.equal(defs.script.properties.hosts.items.pattern, p(HOST_NAME_PATTERN));
    for (const ssh of [defs.ssh, defs.defaultsSsh]) {
      assert.equal(ssh.properties.user.pattern, p(SSH_USER_PATTERN));
      assert.equal(ssh.properties.identityFile.pattern, p(PATH_PATTERN));
      assert.equal(ssh.properties.knownHostsFile.pattern, p(PATH_PATTERN));
      assert.equal(ssh.properties.jump.anyOf[0].pattern, p(HOST_NAME_PATTERN));
    }
    assert.equal(defs.ssh.properties.host.anyOf[0].pattern, p(SSH_HOST_PATTERN));
    const member = new RegExp(defs.segment.properties.members.items.pattern);
    assert.ok(member.test('ovs-dfw:eth2') && !member.test('ovs-dfw') && !member.test('a:averyveryverylongname'));
  });

  it('uses the validator’s enums and bounds', () => {
    for (const ssh of [defs.ssh, defs.defaultsSsh]) {
      assert.deepEqual(ssh.properties.strictHostKeyChecking.enum, [...STRICT_HOST_KEY_CHECKING]);
      assert.deepEqual([ssh.properties.port.minimum, ssh.properties.port.maximum], [LIMITS.sshPort.min, LIMITS.sshPort.max]);
    }
    assert.deepEqual(defs.bridge.properties.kind.enum, [...BRIDGE_KINDS]);
    assert.deepEqual(defs.bridge.properties.datapath.enum, [...DATAPATHS]);
    assert.deepEqual(defs.port.properties.type.enum, [...PORT_TYPES]);
    const bounds = (s: Json) => ({ min: s.minimum, max: s.maximum });
    assert.deepEqual(bounds(defs.interface.properties.mtu), LIMITS.mtu);
    assert.deepEqual(bounds(defs.bridge.properties.mtu), LIMITS.mtu);
    assert.deepEqual(bounds(defs.port.properties.vni), LIMITS.greKey, 'the widest: a GRE key');
    assert.deepEqual(bounds(defs.port.properties.dstport), LIMITS.dstport);
    assert.deepEqual(bounds(defs.port.properties.vlan), LIMITS.vlan);
    assert.equal(defs.script.properties.timeout.exclusiveMinimum, 0);
    assert.equal(schema.properties.version.const, 1);
  });

  it('accepts both examples and every fixture the validator accepts', () => {
    const files = [join(EXAMPLES, 'dfw-ord.lab.yaml'), join(EXAMPLES, 'demo.lab.yaml'), join(FIXTURES, 'bridged-address.lab.yaml')];
    for (const file of files) {
      assert.ok(loadLabText(readFileSync(file, 'utf8'), file).lab, `${file} loads`);
      assert.deepEqual(checkAgainstSchema(schema, readYaml(file)), [], file);
    }
  });

  it('rejects broken labs', () => {
    const base = readYaml(join(EXAMPLES, 'dfw-ord.lab.yaml'));
    const broken: [string, (lab: Json) => void, RegExp][] = [
      ['version 2', (l) => (l.version = 2), /\$\.version: is not 1/],
      ['an unknown key', (l) => (l.hosts['ovs-dfw'].interfaces.eth0.adress = '10.0.0.1/24'), /eth0\.adress: not allowed/],
      ['no hosts', (l) => delete l.hosts, /hosts is required/],
      ['an unsafe lab name', (l) => (l.name = 'x; rm -rf /'), /\$\.name: does not match/],
      ['an unsafe interface name', (l) => (l.hosts['ovs-dfw'].interfaces['eth0$(reboot)'] = {}), /eth0\$\(reboot\) \(name\): does not match/],
      ['a 16-character bridge name', (l) => (l.hosts['ovs-dfw'].bridges['sixteen-chars-16'] = {}), /\(name\): does not match/],
      ['an option as ssh user', (l) => (l.defaults.ssh.user = '-oProxyCommand=x'), /user: does not match/],
      ['an option as ssh host', (l) => (l.hosts['ovs-dfw'].ssh.host = '-oProxyCommand=x'), /ssh\.host: matches none of anyOf/],
      ['a bad strictHostKeyChecking', (l) => (l.defaults.ssh.strictHostKeyChecking = 'maybe'), /not one of yes, accept-new, no/],
      ['an address without prefix', (l) => (l.hosts['ovs-dfw'].interfaces.eth0.address = '203.0.113.10'), /eth0\.address: matches none of anyOf/],
      ['an MTU of 70000', (l) => (l.hosts['ovs-dfw'].interfaces.eth0.mtu = 70000), /mtu: above 65535/],
      ['a tunnel without remote', (l) => delete l.hosts['ovs-dfw'].bridges.br0.ports[1].remote, /ports\[1\]: matches none of anyOf/],
      ['a patch port without peer', (l) => l.hosts['ovs-dfw'].bridges.br0.ports.push({ name: 'p0', type: 'patch' }), /ports\[2\]: matches none of anyOf/],
      ['a VLAN of 4096', (l) => l.hosts['ovs-dfw'].bridges.br0.ports.push({ name: 'eth3', vlan: 4096 }), /ports\[2\]: matches none of anyOf/],
      ['a segment member without interface', (l) => l.segments.wan.members.push('ovs-dfw'), /members\[2\]: does not match/],
      ['a script without run', (l) => delete l.scripts['install-ovs'].run, /install-ovs: run is required/],
      ['a timeout of 0', (l) => (l.scripts['install-ovs'].timeout = 0), /timeout: not above 0/],
      ['ssh host in defaults', (l) => (l.defaults.ssh.host = 'x'), /defaults\.ssh\.host: not allowed/],
    ];
    for (const [what, breakIt, expected] of broken) {
      const lab = structuredClone(base);
      breakIt(lab);
      const problems = checkAgainstSchema(schema, lab);
      assert.ok(problems.some((p) => expected.test(p)), `${what}: expected ${expected}, got ${JSON.stringify(problems)}`);
    }
    const hostile = checkAgainstSchema(schema, readYaml(join(FIXTURES, 'hostile.lab.yaml')));
    assert.ok(hostile.length >= 6, `the hostile fixture breaks many patterns: ${hostile.join('; ')}`);
  });
});
