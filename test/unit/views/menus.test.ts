// The tree's menus are matched in package.json against the items' contextValue: this checks that
// each kind of item gets the actions it should (and not the others), with the real manifest.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContextValue } from '../../../src/views/labsTreeModel';
import { buildLabTree, indexTree, type TreeNodeModel } from '../../../src/views/liveTreeModel';
import { configuredStates, demoLab, failed, labState, ok } from './hostStates';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const itemMenus: MenuItem[] = manifest.contributes.menus['view/item/context'];

/** Evaluates the few when-clause forms the manifest uses: `a && b`, `key == value`, `key =~ /re/`. */
function matches(when: string, context: Record<string, string>): boolean {
  return when.split(/\s*&&\s*/).every((term) => {
    const regex = /^(\S+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(term);
    if (regex) return new RegExp(regex[2], regex[3]).test(context[regex[1]] ?? '');
    const equal = /^(\S+)\s*==\s*(\S+)$/.exec(term);
    if (equal) return context[equal[1]] === equal[2];
    throw new Error(`unsupported when clause term: ${term}`);
  });
}

function actions(contextValue: string, inline: boolean): string[] {
  return itemMenus
    .filter((item) => (item.group?.startsWith('inline') ?? false) === inline && matches(item.when ?? 'true', { view: 'overlayLab.labs', viewItem: contextValue }))
    .map((item) => item.command.replace('overlayLab.', ''))
    .sort();
}

describe('tree item menus (package.json)', () => {
  const lab = demoLab();
  const states = configuredStates();
  const readings = { ...Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)])), 'ovs-b': failed('ovs-b', 'timeout', 'ovs-b: timed out') };
  const tree = buildLabTree(lab, labState(lab, readings), { 'ovs-a': { connection: 'connected', reading: false } });
  const node = (id: string): TreeNodeModel => indexTree(tree).get(id)!.node;

  it('declares every command it shows', () => {
    const declared = new Set(manifest.contributes.commands.map((command: { command: string }) => command.command));
    for (const item of itemMenus) assert.ok(declared.has(item.command), item.command);
  });

  it('offers refresh, the state as JSON, plan, apply, destroy and scripts on a lab', () => {
    assert.deepEqual(actions(ContextValue.lab, true), ['checkConnections', 'refreshLab', 'showTopology']);
    assert.deepEqual(actions(ContextValue.lab, false), ['addScript', 'apply', 'checkConnections', 'destroy', 'openLabFile', 'plan', 'refreshLab', 'runDoctor', 'runLabTests', 'runScript', 'showStateJson', 'showTopology', 'tracePath']);
    assert.deepEqual(actions(ContextValue.labWithErrors, false), ['openLabFile']);
  });

  it('offers disconnect on a connected host, refresh inline; plan, apply, destroy and scripts for the host', () => {
    assert.deepEqual(actions(node('host:ovs-a').contextValue, true), ['openTerminal', 'refreshHost']);
    assert.deepEqual(actions(node('host:ovs-a').contextValue, false), ['apply', 'copyAddress', 'destroy', 'disconnectHost', 'openTerminal', 'plan', 'refreshHost', 'revealInLabFile', 'runScriptOnHost', 'tracePath']);
  });

  it('offers connect on an idle host', () => {
    assert.deepEqual(actions(node('host:test-a').contextValue, false), ['apply', 'connectHost', 'copyAddress', 'destroy', 'openTerminal', 'plan', 'refreshHost', 'revealInLabFile', 'runScriptOnHost', 'tracePath']);
  });

  it('offers no host command on what is under a host', () => {
    for (const id of ['host:ovs-a/bridge:br0', 'host:ovs-a/bridge:br0/port:eth2', 'segments']) {
      const offered = actions(node(id).contextValue, false);
      for (const command of ['plan', 'apply', 'destroy', 'runScriptOnHost']) assert.ok(!offered.includes(command), `${command} on ${id}`);
    }
  });

  it('declares the commands of the view title and the palette, and hides those that need an item', () => {
    const declared = new Set(manifest.contributes.commands.map((command: { command: string }) => command.command));
    const title: MenuItem[] = manifest.contributes.menus['view/title'];
    for (const item of title) assert.ok(declared.has(item.command), item.command);
    assert.deepEqual(
      title.filter((item) => /^1_apply/.test(item.group ?? '')).map((item) => item.command),
      ['overlayLab.plan', 'overlayLab.apply', 'overlayLab.destroy'],
    );
    const hidden = new Set(manifest.contributes.menus.commandPalette.filter((item: MenuItem) => item.when === 'false').map((item: MenuItem) => item.command));
    for (const command of ['overlayLab.plan', 'overlayLab.apply', 'overlayLab.destroy', 'overlayLab.runScript', 'overlayLab.addScript']) assert.ok(!hidden.has(command), command);
    assert.ok(hidden.has('overlayLab.runScriptOnHost'));
  });

  it('offers retry (inline, instead of refresh) on a failed host and on its error', () => {
    assert.deepEqual(actions(node('host:ovs-b').contextValue, true), ['openTerminal', 'retryHost']);
    assert.ok(actions(node('host:ovs-b').contextValue, false).includes('retryHost'));
    assert.deepEqual(actions(node('host:ovs-b/error').contextValue, true), ['retryHost']);
  });

  it('offers capture (alone or merged with other selected interfaces), copy and reveal on what carries an address, a MAC, a place in the file', () => {
    assert.deepEqual(actions(node('host:ovs-a/bridge:br0').contextValue, false), ['captureInterface', 'captureMerged', 'copyAddress', 'copyMac', 'revealInLabFile']);
    assert.deepEqual(actions(node('host:ovs-a/bridge:br0/port:eth2').contextValue, false), ['captureInterface', 'captureMerged', 'copyMac', 'revealInLabFile']);
    assert.deepEqual(actions(node('host:test-a/interface:eth2').contextValue, false), ['captureInterface', 'captureMerged', 'copyAddress', 'copyMac', 'revealInLabFile']);
    assert.deepEqual(actions(node('segments/cn-a/member:test-a:eth2').contextValue, false), ['captureInterface', 'captureMerged', 'copyAddress', 'copyMac', 'revealInLabFile']);
    assert.deepEqual(actions(node('segments').contextValue, false), []);
  });
});
