// Reading `ssh:` maps (a host's, and `defaults.ssh`). Every value here ends up on an ssh
// command line or in ssh2's options, so each is held to a strict pattern.

import type { YAMLMap } from 'yaml';
import { LIMITS, STRICT_HOST_KEY_CHECKING } from './fields';
import { MapReader, type Located, type ReadContext } from './mapReader';
import { parseJump, pathProblem, sshHostProblem, sshUserProblem } from './names';
import type { FieldRanges, LabSshSettings } from './types';

export interface ReadSsh {
  settings: LabSshSettings;
  ranges: FieldRanges<keyof LabSshSettings>;
}

/**
 * `forDefaults` reads `defaults.ssh`, which takes every key but `host`. A value that breaks its
 * pattern is reported and still kept, so that one bad value does not set off reports elsewhere
 * (the lab is not handed out while any error stands).
 */
export function readSsh(ctx: ReadContext, map: YAMLMap | null, label: string, forDefaults: boolean): ReadSsh {
  const r = new MapReader(ctx, map, forDefaults ? 'defaultsSsh' : 'ssh', label);
  const settings: LabSshSettings = {};
  const ranges: FieldRanges<keyof LabSshSettings> = {};
  const checked = (key: keyof LabSshSettings, what: string, problemOf: (v: string) => string | undefined): Located<string> | undefined => {
    const v = r.text(key);
    if (!v) return undefined;
    const problem = problemOf(v.value);
    if (problem) ctx.sink.error(v.range, `${what} ${JSON.stringify(v.value)} ${problem}`);
    ranges[key] = v.range;
    return v;
  };

  const host = checked('host', 'ssh host', sshHostProblem);
  if (host) settings.host = host.value;
  const port = r.integer('port', LIMITS.sshPort);
  if (port) {
    settings.port = port.value;
    ranges.port = port.range;
  }
  const user = checked('user', 'ssh user', sshUserProblem);
  if (user) settings.user = user.value;
  const identityFile = checked('identityFile', 'identityFile', pathProblem);
  if (identityFile) settings.identityFile = identityFile.value;
  const knownHostsFile = checked('knownHostsFile', 'knownHostsFile', pathProblem);
  if (knownHostsFile) settings.knownHostsFile = knownHostsFile.value;
  const jump = checked('jump', 'jump', (text) => {
    const syntax = parseJump(text);
    return syntax.kind === 'invalid' ? syntax.problem : undefined;
  });
  if (jump) settings.jump = jump.value;
  const strict = r.choice('strictHostKeyChecking', STRICT_HOST_KEY_CHECKING);
  if (strict) {
    settings.strictHostKeyChecking = strict.value;
    ranges.strictHostKeyChecking = strict.range;
  }
  return { settings, ranges };
}
