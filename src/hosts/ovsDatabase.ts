// The Open vSwitch database as the probe reads it (`list Open_vSwitch -- list Bridge -- list
// Port -- list Interface`, one transaction), joined by UUID into bridges → ports → interfaces.
// The database keeps no order, so bridges, ports and interfaces are sorted by name.

import { numberMapOf, numberOf, OvsdbFormatError, parseOvsdbTables, stringOf, textMapOf, uuidOf, uuidsOf, type OvsdbRow, type OvsdbTable } from './ovsdbJson';
import type { OvsBridge, OvsInterface, OvsPort } from './types';

export interface OvsDatabase {
  /** `ovs_version` of the Open_vSwitch row (what ovs-ctl recorded when it started OVS). */
  ovsVersion?: string;
  dbVersion?: string;
  bridges: OvsBridge[];
}

/** Throws OvsdbFormatError when the text is not the four tables. */
export function parseOvsDatabase(text: string): OvsDatabase {
  const tables = parseOvsdbTables(text);
  if (tables.length !== 4) throw new OvsdbFormatError(`expected 4 tables (Open_vSwitch, Bridge, Port, Interface), got ${tables.length}`);
  const [system, bridgeTable, portTable, interfaceTable] = tables;
  const root = system.rows[0] ?? {};
  const interfaces = byUuid(interfaceTable);
  const ports = byUuid(portTable);
  const bridgeRows = byUuid(bridgeTable);
  // The Open_vSwitch row says which bridges are part of the switch; a row it does not reference
  // is garbage the database will collect, but an empty root row lists every bridge.
  const rootBridges = uuidsOf(root.bridges);
  const bridgeUuids = rootBridges.length > 0 ? rootBridges : [...bridgeRows.keys()];

  const bridges = bridgeUuids
    .map((uuid) => bridgeRows.get(uuid))
    .filter((row): row is OvsdbRow => row !== undefined)
    .map((row) => toBridge(row, ports, interfaces));
  return {
    ovsVersion: stringOf(root.ovs_version),
    dbVersion: stringOf(root.db_version),
    bridges: sortByName(bridges),
  };
}

function byUuid(table: OvsdbTable): Map<string, OvsdbRow> {
  const map = new Map<string, OvsdbRow>();
  for (const row of table.rows) {
    const uuid = uuidOf(row._uuid);
    if (uuid) map.set(uuid, row);
  }
  return map;
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function toBridge(row: OvsdbRow, ports: Map<string, OvsdbRow>, interfaces: Map<string, OvsdbRow>): OvsBridge {
  const bridgePorts = uuidsOf(row.ports)
    .map((uuid) => ports.get(uuid))
    .filter((p): p is OvsdbRow => p !== undefined)
    .map((p) => toPort(p, interfaces));
  return {
    name: stringOf(row.name) ?? '',
    // The database leaves both empty for the defaults; consumers get the names.
    datapathType: stringOf(row.datapath_type) || 'system',
    ports: sortByName(bridgePorts),
    otherConfig: textMapOf(row.other_config),
  };
}

function toPort(row: OvsdbRow, interfaces: Map<string, OvsdbRow>): OvsPort {
  const portInterfaces = uuidsOf(row.interfaces)
    .map((uuid) => interfaces.get(uuid))
    .filter((i): i is OvsdbRow => i !== undefined)
    .map(toInterface);
  return {
    name: stringOf(row.name) ?? '',
    tag: numberOf(row.tag),
    interfaces: sortByName(portInterfaces),
  };
}

function toInterface(row: OvsdbRow): OvsInterface {
  // `mac_in_use` is the address the interface really has; `mac` only what was asked for.
  const mac = stringOf(row.mac_in_use) ?? stringOf(row.mac);
  const ofport = numberOf(row.ofport);
  return {
    name: stringOf(row.name) ?? '',
    type: stringOf(row.type) || 'system',
    options: textMapOf(row.options),
    mac,
    mtu: numberOf(row.mtu),
    adminState: stringOf(row.admin_state),
    linkState: stringOf(row.link_state),
    // -1 means OVS could not add it; that is in `error`, not a port number.
    ofport: ofport !== undefined && ofport >= 0 ? ofport : undefined,
    error: stringOf(row.error),
    statistics: numberMapOf(row.statistics),
    status: textMapOf(row.status),
  };
}
