import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabText } from '../../src/lab/load';
import { addScriptToLabText } from '../../src/scripts/addScript';
import { SCRIPT_TEMPLATES } from '../../src/scripts/templates';

describe('Add Script from Template', () => {
  const demo = readFileSync(join(__dirname, '..', '..', 'examples', 'demo.lab.yaml'), 'utf8');

  for (const template of SCRIPT_TEMPLATES) {
    it(`${template.name}: writes YAML that validates and keeps the script text exactly`, () => {
      const added = addScriptToLabText(demo, template, ['ovs-a', 'ovs-b']);
      const result = loadLabText(added.text, 'demo.lab.yaml');
      assert.deepEqual(result.diagnostics, []);
      const script = result.lab?.scripts.find((s) => s.name === added.name);
      assert.equal(script?.run, template.run);
      assert.deepEqual(script?.hosts, ['ovs-a', 'ovs-b']);
      assert.equal(script?.timeoutSeconds, template.timeout);
      execFileSync('sh', ['-n', '-e', '-c', template.run]); // the shell itself parses it
    });
  }

  it('leaves every other line of the file as it was', () => {
    const added = addScriptToLabText(demo, SCRIPT_TEMPLATES[2]);
    assert.ok(added.text.startsWith(demo.trimEnd()), 'the original text is a prefix of the result');
    assert.match(added.text.slice(demo.trimEnd().length), /^\n  show-versions:\n    description: Show the kernel/);
  });

  it('keeps comments, and picks a free name when the template’s is taken', () => {
    const once = addScriptToLabText(demo, SCRIPT_TEMPLATES[2]);
    const twice = addScriptToLabText(once.text, SCRIPT_TEMPLATES[2]);
    assert.equal(twice.name, 'show-versions-2');
    assert.ok(twice.text.includes('# ') === demo.includes('# '));
    const scripts = loadLabText(twice.text, 'demo.lab.yaml').lab?.scripts.map((s) => s.name);
    assert.deepEqual(scripts, ['versions', 'show-ovs', 'show-versions', 'show-versions-2']);
  });

  it('adds a scripts section to a lab that has none, runs it on all hosts when none are named', () => {
    const bare = 'version: 1\nname: one\nhosts:\n  h1: {}\n';
    const added = addScriptToLabText(bare, SCRIPT_TEMPLATES[3]);
    const lab = loadLabText(added.text, 'x.lab.yaml').lab;
    assert.deepEqual(lab?.scripts.map((s) => [s.name, s.hosts]), [['enable-ip-forwarding', ['h1']]]);
  });

  it('refuses a file with YAML errors', () => {
    assert.throws(() => addScriptToLabText('version: 1\nhosts: [\n', SCRIPT_TEMPLATES[0]), /YAML errors/);
  });
});
