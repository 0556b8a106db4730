// The rules that relate values to each other, run on the resolved model. Rules about one value
// alone (types, patterns, ranges, enums, unknown keys) are checked as the file is read
// (readLab.ts, readHost.ts, readSsh.ts), where the YAML node is at hand.

import type { DiagnosticSink } from './diagnostics';
import type { Lab } from './types';
import { validateAddresses } from './validateAddresses';
import { validateBridging } from './validateBridging';
import { validateJumps } from './validateJumps';
import { validatePorts } from './validatePorts';
import { validateReferences } from './validateReferences';
import { validateTests } from './validateTests';
import { validateTunnels } from './validateTunnels';

export function validateLab(lab: Lab, sink: DiagnosticSink): void {
  validatePorts(lab, sink);
  validateBridging(lab, sink);
  validateAddresses(lab, sink);
  validateTunnels(lab, sink);
  validateJumps(lab, sink);
  validateReferences(lab, sink);
  validateTests(lab, sink);
}
