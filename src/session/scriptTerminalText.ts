// How a lab script's run reads in an editor terminal: each line after its host's name, padded
// and in a colour of its own; the remote's own colours kept (and carried to the host's next
// line, never into another host's); CRLF line ends, as a terminal wants; then a closing line
// per host and one for the run. Pure, so the formatting is tested without an editor.

import type { ScriptHostResult } from '../scripts/runLabScript';

export const RESET = '\x1b[0m';
export const DIM = '\x1b[2m';
export const RED = '\x1b[31m';
export const GREEN = '\x1b[32m';
export const YELLOW = '\x1b[33m';
export const BOLD = '\x1b[1m';

/** Host colours, as the CLI's `run` uses: cyan, magenta, yellow, green, blue, then the bright ones. */
const HOST_COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];

/** A host's name padded to the widest target and coloured by its place among them: `ovs-a  | `. */
export function hostPrefix(host: string, hosts: readonly string[]): string {
  const width = Math.max(host.length, ...hosts.map((name) => name.length));
  const index = Math.max(0, hosts.indexOf(host));
  return `\x1b[${HOST_COLOURS[index % HOST_COLOURS.length]}m${host.padEnd(width)} |${RESET} `;
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[([0-9;:]*)m/g;
/** A line that set attributes and never reset them carries at most this many to its next line. */
const MAX_CARRIED = 16;

/**
 * The text attributes (SGR sequences) still in force after `line`, given those in force before
 * it: what the remote meant its next line to start with. A reset (`ESC[0m`, `ESC[m`) clears them.
 */
export function attributesAfter(before: string, line: string): string {
  let carried = before ? [...before.matchAll(SGR)].map((match) => match[0]) : [];
  for (const match of line.matchAll(SGR)) {
    // `ESC[m` is `ESC[0m`; an empty parameter is 0 too. `38;5;n` and `38;2;r;g;b` (and 48, 58)
    // are colours whose numbers may be 0; `38:5:n` is one parameter.
    const params = match[1].split(';');
    let kept: string[] = [];
    for (let i = 0; i < params.length; ) {
      const param = params[i];
      if (param === '' || param === '0') {
        carried = [];
        kept = [];
        i++;
      } else if ((param === '38' || param === '48' || param === '58') && (params[i + 1] === '5' || params[i + 1] === '2')) {
        const length = params[i + 1] === '5' ? 3 : 5;
        kept.push(params.slice(i, i + length).join(';'));
        i += length;
      } else {
        kept.push(param);
        i++;
      }
    }
    if (kept.length) carried.push(`\x1b[${kept.join(';')}m`);
  }
  return carried.slice(-MAX_CARRIED).join('');
}

export interface FormattedLine {
  /** What to write to the terminal, CRLF included. */
  text: string;
  /** The attributes the host's next line starts with. */
  attributes: string;
}

/**
 * One line of a host's output. A carriage return inside it (a progress bar redrawing itself)
 * goes back to the start of the line: the host's name is written again there, so the redraw
 * lands after it. The line ends with a reset when it leaves attributes on, so that nothing
 * bleeds into the next line, whichever host's it is; the host's own next line takes them up again.
 */
export function formatLine(prefix: string, line: string, attributesBefore = ''): FormattedLine {
  const segments = line.replace(/\r+$/, '').split('\r');
  let attributes = attributesBefore;
  let text = '';
  segments.forEach((segment, index) => {
    if (index > 0) text += '\r';
    text += `${attributes ? RESET : ''}${prefix}${attributes}${segment}`;
    attributes = attributesAfter(attributes, segment);
  });
  if (attributes) text += RESET;
  return { text: `${text}\r\n`, attributes };
}

/** Text of our own (a message, an error) with its line ends as a terminal wants them. */
export function terminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** `350 ms`, `1.2 s`, `2 min 5 s` */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** The line the terminal opens with. */
export function headerLine(script: string, hosts: readonly string[]): string {
  const where = hosts.length === 1 ? hosts[0] : `${hosts.length} hosts (${hosts.join(', ')})`;
  return `${DIM}Running ${script} on ${where}. Ctrl+C stops it on every host, as does closing this terminal.${RESET}\r\n`;
}

/** A result's message without the host's name in front (the prefix says it). */
function ownMessage(result: ScriptHostResult): string {
  const text = (result.message ?? '').trim();
  return text.startsWith(`${result.host}: `) ? text.slice(result.host.length + 2) : text;
}

/** How a host's run ended, in words: `ok`, `exited with status 2`, `timeout: …`, `unreachable: …`. */
export function hostOutcome(result: ScriptHostResult): { text: string; colour: string } {
  switch (result.status) {
    case 'ok':
      return { text: `✓ ok (${formatElapsed(result.elapsedMs)})`, colour: GREEN };
    case 'failed': {
      const how = result.code !== null ? `exited with status ${result.code}` : `was killed by ${result.signal ?? 'a signal'}`;
      return { text: `✗ ${how} (${formatElapsed(result.elapsedMs)})`, colour: RED };
    }
    case 'timeout':
      return { text: `⏱ timeout: ${ownMessage(result) || 'stopped after its timeout'}`, colour: YELLOW };
    case 'unreachable':
      return { text: `✗ unreachable: ${ownMessage(result) || 'could not connect'}`, colour: RED };
    case 'cancelled':
      return { text: '■ cancelled: stopped on the host', colour: YELLOW };
  }
}

/** The closing line of one host, after its prefix. */
export function hostSummaryLine(result: ScriptHostResult, hosts: readonly string[]): string {
  const outcome = hostOutcome(result);
  return `${hostPrefix(result.host, hosts)}${outcome.colour}${terminalText(outcome.text).replace(/\r\n/g, ' ')}${RESET}\r\n`;
}

/** 0 when every host succeeded, 1 otherwise: the terminal's (and the task's) exit code. */
export function runExitCode(results: readonly ScriptHostResult[]): number {
  return results.length > 0 && results.every((result) => result.status === 'ok') ? 0 : 1;
}

/** The run's last line: its overall status. */
export function runSummaryLine(script: string, results: readonly ScriptHostResult[], cancelled: boolean): string {
  const ok = results.filter((result) => result.status === 'ok').length;
  const total = results.length;
  if (total > 0 && ok === total) return `${GREEN}${BOLD}✓ ${script} succeeded on ${total === 1 ? results[0].host : `all ${total} hosts`}.${RESET}\r\n`;
  if (cancelled) return `${YELLOW}${BOLD}■ ${script} was cancelled: ${ok} of ${total} host${total === 1 ? '' : 's'} had finished it.${RESET}\r\n`;
  const byStatus = (['failed', 'timeout', 'unreachable', 'cancelled'] as const)
    .map((status) => ({ status, hosts: results.filter((result) => result.status === status).map((result) => result.host) }))
    .filter((group) => group.hosts.length)
    .map((group) => `${group.status === 'timeout' ? 'timed out' : group.status}: ${group.hosts.join(', ')}`);
  return `${RED}${BOLD}✗ ${script} succeeded on ${ok} of ${total} host${total === 1 ? '' : 's'}; ${byStatus.join('; ')}.${RESET}\r\n`;
}
