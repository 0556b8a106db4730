// The lab module's public face: what the rest of the product imports.

export * from './types';
export { loadLabFile, loadLabText } from './load';
export { formatDiagnostic, hasErrors } from './diagnostics';
export {
  addressesOf,
  findHost,
  hostOwningAddress,
  hostUnderlay,
  interfaceOwner,
  isTunnelType,
  portsOf,
  routeTo,
  underlayAddress,
  type HeldAddress,
  type HostPort,
} from './resolve';
export { ipKey, parseCidr, parseIp, withoutPrefix } from './addresses';
