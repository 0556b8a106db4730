import { strict as assert } from 'node:assert';
import { KNOWN_KEYS, type ObjectKind } from '../../../src/lab/fields';
import { keyDocId } from '../../../src/language/keyDocs';
import { DOCS } from './helpers';

describe('language: key docs from docs/lab-format.md', () => {
  it('documents every key of the format the page has a row for; the sections and segment.note have none', () => {
    const undocumented = (Object.keys(KNOWN_KEYS) as ObjectKind[]).flatMap((kind) => KNOWN_KEYS[kind].filter((key) => !DOCS.has(keyDocId(kind, key))).map((key) => `${kind}.${key}`));
    assert.deepEqual(undocumented, ['lab.description', 'lab.defaults', 'lab.segments', 'lab.scripts', 'lab.tests', 'host.ssh', 'host.bridges', 'segment.note']);
  });

  it('reads a row with several keys and its default', () => {
    const doc = DOCS.get(keyDocId('defaultsSsh', 'identityFile'))!;
    assert.equal(doc.path, 'hosts.<h>.ssh.port / user / identityFile');
    assert.match(doc.default ?? '', /22 \/ current user/);
    assert.equal(DOCS.get(keyDocId('port', 'remote'))!.meaning, 'tunnel peer: a host of the lab (its underlay address is used) or an IP');
  });
});
