import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabText } from '../../../src/lab/load';
import type { Lab, LabDiagnostic, LabLoadResult } from '../../../src/lab/types';
import { ContextValue, diagnosticView, hostAddress, hostJumps, labFileView, labStatus, labTooltip, TOOLTIP_DIAGNOSTICS } from '../../../src/views/labsTreeModel';

const demoText = readFileSync(join(__dirname, '../../../examples/demo.lab.yaml'), 'utf8');

function demoLab(): Lab {
  const result = loadLabText(demoText, '/ws/examples/demo.lab.yaml');
  assert.ok(result.lab, 'the demo lab checks clean');
  return result.lab;
}

function problem(severity: LabDiagnostic['severity'], message: string, line = 3): LabDiagnostic {
  return { file: '/ws/bad.lab.yaml', severity, message, range: { line, col: 2, endLine: line, endCol: 6 } };
}

describe('Labs tree items', () => {
  describe('a lab file', () => {
    it('is named after its lab, described by its path, and passes when clean', () => {
      const result = loadLabText(demoText, '/ws/examples/demo.lab.yaml');
      const view = labFileView(result, '/ws/examples/demo.lab.yaml', 'examples/demo.lab.yaml');
      assert.equal(view.label, 'demo');
      assert.equal(view.description, 'examples/demo.lab.yaml');
      assert.deepEqual(view.icon, { id: 'pass', color: 'testing.iconPassed' });
      assert.equal(view.contextValue, ContextValue.lab);
      assert.match(view.tooltip ?? '', /4 hosts · no problems/);
    });

    it('is named after its file, with an error icon and its own context, when it has errors', () => {
      const result: LabLoadResult = { diagnostics: [problem('error', 'unknown key "hots"')] };
      const view = labFileView(result, '/ws/sub/bad.lab.yaml', 'sub/bad.lab.yaml');
      assert.equal(view.label, 'bad.lab.yaml');
      assert.deepEqual(view.icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
      assert.equal(view.contextValue, ContextValue.labWithErrors);
      assert.equal(labStatus(result), 'errors');
    });

    it('warns when the lab is valid but has warnings', () => {
      const lab = demoLab();
      const result: LabLoadResult = { lab, diagnostics: [problem('warning', 'mtu is large')] };
      assert.equal(labStatus(result), 'warnings');
      assert.deepEqual(labFileView(result, lab.file, 'demo.lab.yaml').icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
    });

    it('lists the first few problems in its tooltip, escaped, and counts the rest', () => {
      const diagnostics = Array.from({ length: TOOLTIP_DIAGNOSTICS + 2 }, (_, i) => problem('error', `bad *thing* [${i}](x)`, i + 1));
      const tooltip = labTooltip({ diagnostics }, 'bad.lab.yaml');
      assert.match(tooltip, /7 errors/);
      assert.match(tooltip, /- Error, line 1, col 2: bad \\\*thing\\\* \\\[0\\\]\\\(x\\\)/);
      assert.equal(tooltip.split('\n').filter((line) => line.startsWith('- Error')).length, TOOLTIP_DIAGNOSTICS);
      assert.match(tooltip, /…and 2 more/);
    });
  });

  describe('a host', () => {
    it('is reached at user@host, through its jump host', () => {
      const lab = demoLab();
      const ovsA = lab.hosts.find((host) => host.name === 'ovs-a')!;
      const testA = lab.hosts.find((host) => host.name === 'test-a')!;
      assert.equal(hostAddress(ovsA), 'root@10.213.0.11');
      assert.deepEqual(hostJumps(lab, ovsA), []);
      assert.equal(hostAddress(testA), 'root@10.213.1.2');
      assert.deepEqual(hostJumps(lab, testA), ['ovs-a']);
    });

    it('adds a port other than 22, bracketing an IPv6 address', () => {
      const host = { ...demoLab().hosts[0] };
      assert.equal(hostAddress({ ...host, ssh: { host: '2001:db8::1', port: 2222 } }), '[2001:db8::1]:2222');
      assert.equal(hostAddress({ ...host, ssh: { host: 'h', port: 22, user: 'u' } }), 'u@h');
      assert.equal(hostAddress({ ...host, name: 'n', ssh: {} }), 'n');
    });
  });

  it('shows a problem with its place and severity', () => {
    const view = diagnosticView(problem('warning', 'first line\nsecond line', 7));
    assert.equal(view.label, 'first line');
    assert.equal(view.description, 'line 7, col 2');
    assert.deepEqual(view.icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
    assert.equal(view.contextValue, ContextValue.diagnostic);
  });
});
