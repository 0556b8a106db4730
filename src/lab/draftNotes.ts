// Notes the reader leaves on draft objects for the validator. When a value was written but
// could not be read (a misspelt port type), the model holds a default in its place; rules that
// depend on that value must stay quiet rather than report what the default implies.
// A WeakSet, because these notes concern only the draft of one load and must not outlive it.

import type { LabPort } from './types';

const portsWithUnreadableType = new WeakSet<LabPort>();

export function noteUnreadablePortType(port: LabPort): void {
  portsWithUnreadableType.add(port);
}

/** The port's `type` was written but is not one of the port types; `port.type` is only the default. */
export function hasUnreadableType(port: LabPort): boolean {
  return portsWithUnreadableType.has(port);
}
