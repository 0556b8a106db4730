import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, makeNonce, topologyHtml } from '../../../src/views/topology/html';
import { MAX_KEPT_POSITIONS, mergePositions, positionsKey, readPositions, savePositions, type PositionMemento } from '../../../src/views/topology/positions';
import { captureTargetOf } from '../../../src/commands/captureTarget';

class Memento implements PositionMemento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

describe('the topology panel, host side', () => {
  describe('the page', () => {
    const html = topologyHtml({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      script: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
      bundleStyles: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
      codicons: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
      styles: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/topology/topology.css',
      title: 'Topology: <demo>',
      nonce: 'abc123',
    });

    it('has a strict content security policy: scripts by nonce, no network', () => {
      assert.equal(
        contentSecurityPolicy('vscode-src', 'n0nce'),
        "default-src 'none'; img-src vscode-src data:; font-src vscode-src; style-src vscode-src 'unsafe-inline'; script-src 'nonce-n0nce'",
      );
      assert.ok(html.includes(`content="default-src 'none'; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net; style-src https://file+.vscode-resource.vscode-cdn.net 'unsafe-inline'; script-src 'nonce-abc123'"`));
      assert.ok(!/connect-src|unsafe-eval/.test(html));
    });

    it('loads the bundle with its nonce, and no inline script', () => {
      const scripts = html.match(/<script[^>]*>/g) ?? [];
      assert.deepEqual(scripts, ['<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js">']);
      assert.ok(html.includes('</script>'));
      assert.equal(html.match(/<script[^>]*>([^<]+)<\/script>/), null);
    });

    it('links the codicons with the id the web components look for, and escapes the title', () => {
      assert.ok(html.includes('<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css">'));
      assert.ok(html.includes('<title>Topology: &lt;demo&gt;</title>'));
    });

    it('makes a fresh nonce of letters and digits each time', () => {
      const a = makeNonce();
      assert.match(a, /^[A-Za-z0-9]{16,}$/);
      assert.notEqual(a, makeNonce());
    });
  });

  describe('positions', () => {
    it('are kept per lab and merged with what was kept', async () => {
      const memento = new Memento();
      await savePositions(memento, 'file:///a.lab.yaml', { 'port:a/br0/p': { x: 1, y: 2 } }, new Set(['port:a/br0/p']));
      await savePositions(memento, 'file:///a.lab.yaml', { 'iface:a/eth0': { x: 3, y: 4 } }, new Set(['port:a/br0/p', 'iface:a/eth0']));
      assert.deepEqual(readPositions(memento, 'file:///a.lab.yaml'), { 'port:a/br0/p': { x: 1, y: 2 }, 'iface:a/eth0': { x: 3, y: 4 } });
      assert.deepEqual(readPositions(memento, 'file:///b.lab.yaml'), {});
      assert.ok(memento.values.has(positionsKey('file:///a.lab.yaml')));
    });

    it('survive a node leaving the graph for a while', () => {
      assert.deepEqual(mergePositions({ gone: { x: 1, y: 1 } }, { here: { x: 2, y: 2 } }, new Set(['here'])), { gone: { x: 1, y: 1 }, here: { x: 2, y: 2 } });
    });

    it('drop those of nodes no longer in the graph first, past the limit', () => {
      const stored = Object.fromEntries(Array.from({ length: MAX_KEPT_POSITIONS }, (_, i) => [`old${i}`, { x: i, y: i }]));
      const merged = mergePositions(stored, { fresh: { x: 0, y: 0 } }, new Set(['fresh', 'old0']));
      assert.equal(Object.keys(merged).length, MAX_KEPT_POSITIONS);
      assert.ok('fresh' in merged);
      assert.ok('old0' in merged, 'a node still in the graph keeps its place');
      assert.ok(!('old1' in merged));
    });

    it('are read back only when well formed', () => {
      const memento = new Memento();
      memento.values.set(positionsKey('k'), { a: { x: 1, y: 2 }, b: { x: 'no', y: 2 }, c: null, d: { x: NaN, y: 0 } });
      assert.deepEqual(readPositions(memento, 'k'), { a: { x: 1, y: 2 } });
      memento.values.set(positionsKey('k'), 'garbage');
      assert.deepEqual(readPositions(memento, 'k'), {});
    });
  });

  describe('capture from the Labs tree', () => {
    it('finds the device of a port, an interface, a bridge and a segment member', () => {
      const key = 'file:///w/demo.lab.yaml';
      assert.deepEqual(captureTargetOf({ kind: 'item', key, model: { kind: 'port', host: 'ovs-a', label: 'vx0' } }), { key, target: { host: 'ovs-a', iface: 'vx0' } });
      assert.deepEqual(captureTargetOf({ kind: 'item', key, model: { kind: 'interface', host: 'test-a', label: 'eth2' } }), { key, target: { host: 'test-a', iface: 'eth2' } });
      assert.deepEqual(captureTargetOf({ kind: 'item', key, model: { kind: 'bridge', host: 'ovs-a', label: 'br0' } }), { key, target: { host: 'ovs-a', iface: 'br0' } });
      assert.deepEqual(captureTargetOf({ kind: 'item', key, model: { kind: 'member', label: 'ovs-b:eth0' } }), { key, target: { host: 'ovs-b', iface: 'eth0' } });
    });

    it('finds nothing in a host, a lab, or something else', () => {
      assert.equal(captureTargetOf({ kind: 'item', key: 'k', model: { kind: 'host', host: 'ovs-a', label: 'ovs-a' } }), undefined);
      assert.equal(captureTargetOf({ kind: 'lab', key: 'k' }), undefined);
      assert.equal(captureTargetOf(undefined), undefined);
      assert.equal(captureTargetOf({ kind: 'item', key: 'k', model: { kind: 'member', label: 'no-colon' } }), undefined);
    });
  });
});
