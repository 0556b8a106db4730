import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_KEYS, type ObjectKind } from '../../../src/lab/fields';
import { keyDocId } from '../../../src/language/keyDocs';
import { DOCS } from './helpers';

const SCHEMAS = join(__dirname, '..', '..', '..', 'schemas');

/** The schema's definitions, by the object kind they describe (the port entry is a name or a port object). */
const KIND_OF_DEFINITION: Record<string, ObjectKind | undefined> = {
  defaults: 'defaults',
  defaultsSsh: 'defaultsSsh',
  ssh: 'ssh',
  host: 'host',
  interface: 'interface',
  bridge: 'bridge',
  port: 'port',
  segment: 'segment',
  script: 'script',
  test: 'test',
};

interface SchemaObject {
  properties?: Record<string, unknown>;
  definitions?: Record<string, SchemaObject>;
}

/** Every key every schema of the repository names, as `kind.key`. */
function schemaKeys(): string[] {
  const keys: string[] = [];
  for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as SchemaObject;
    for (const key of Object.keys(schema.properties ?? {})) keys.push(`lab.${key}`);
    for (const [name, definition] of Object.entries(schema.definitions ?? {})) {
      const properties = Object.keys(definition.properties ?? {});
      if (properties.length === 0) continue;
      const kind = KIND_OF_DEFINITION[name];
      assert.ok(kind, `${file}: the definition ${name} has keys but no object kind here; add it to KIND_OF_DEFINITION`);
      for (const key of properties) keys.push(`${kind}.${key}`);
    }
  }
  return keys;
}

describe('language: key docs from docs/lab-format.md', () => {
  it('documents every key of the schema (schemas/*.json), at every level', () => {
    const keys = schemaKeys();
    assert.ok(keys.length > 50, `the schema names ${keys.length} keys`);
    const undocumented = keys.filter((id) => !DOCS.has(id));
    assert.deepEqual(undocumented, []);
    for (const id of keys) assert.ok(DOCS.get(id)!.meaning.length > 3, `${id} has words, not an empty cell`);
  });

  it('documents every key the reader knows (src/lab/fields.ts)', () => {
    const undocumented = (Object.keys(KNOWN_KEYS) as ObjectKind[]).flatMap((kind) => KNOWN_KEYS[kind].filter((key) => !DOCS.has(keyDocId(kind, key))).map((key) => `${kind}.${key}`));
    assert.deepEqual(undocumented, []);
  });

  it('reads a row with several keys and its default, and a section from its placeholder row', () => {
    const doc = DOCS.get(keyDocId('defaultsSsh', 'identityFile'))!;
    assert.equal(doc.path, 'hosts.<h>.ssh.port / user / identityFile');
    assert.match(doc.default ?? '', /22 \/ current user/);
    assert.equal(DOCS.get(keyDocId('port', 'remote'))!.meaning, 'tunnel peer: a host of the lab (its underlay address is used) or an IP');
    assert.equal(DOCS.get(keyDocId('host', 'bridges'))!.path, 'hosts.<h>.bridges.<br>');
    assert.equal(DOCS.get(keyDocId('lab', 'tests'))!.path, 'tests.<t>');
  });
});
