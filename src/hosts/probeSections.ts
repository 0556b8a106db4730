// Splits the probe's output into its sections (see probeScript.ts for the format). Tolerant: a
// section cut short (the probe was stopped, the connection dropped) keeps what it printed and
// has no status; text outside any section is ignored.

import { PROBE_MARKER } from './probeScript';

export interface ProbeSection {
  name: string;
  /** The command's stdout, exactly as printed. */
  stdout: string;
  /** Its exit status; undefined when the output ends before the section does. */
  status?: number;
  /** Its stderr, without the final newline. */
  stderr: string;
}

export interface ProbeOutput {
  /** The script's format number, when its first line made it through. */
  format?: number;
  sections: Map<string, ProbeSection>;
}

const MARKER_LINE = new RegExp(`^${PROBE_MARKER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (format|begin|end) ([^\\n]*)$`, 'gm');

export function splitProbeOutput(text: string): ProbeOutput {
  const sections = new Map<string, ProbeSection>();
  let format: number | undefined;
  let open: { name: string; stdoutStart: number } | undefined;
  let stderrOf: { section: ProbeSection; start: number } | undefined;

  const closeStderr = (end: number) => {
    if (!stderrOf) return;
    stderrOf.section.stderr = text.slice(stderrOf.start, end).replace(/\n$/, '');
    stderrOf = undefined;
  };

  for (const match of text.matchAll(MARKER_LINE)) {
    const at = match.index ?? 0;
    const lineEnd = at + match[0].length + 1;
    const [kind, rest] = [match[1], match[2].trim()];
    if (kind === 'format') {
      const n = Number(rest);
      if (Number.isInteger(n)) format = n;
      continue;
    }
    if (kind === 'begin') {
      closeStderr(at);
      if (open) sections.set(open.name, { name: open.name, stdout: text.slice(open.stdoutStart, at), stderr: '' });
      open = { name: rest, stdoutStart: lineEnd };
      continue;
    }
    // `end NAME STATUS`: the newline just before the marker is the script's, not the command's.
    const [name, statusText] = rest.split(/\s+/);
    if (!open || open.name !== name) continue;
    const stdoutEnd = Math.max(open.stdoutStart, at - 1);
    const status = /^\d+$/.test(statusText ?? '') ? Number(statusText) : undefined;
    const section: ProbeSection = { name, stdout: text.slice(open.stdoutStart, stdoutEnd), status, stderr: '' };
    sections.set(name, section);
    stderrOf = { section, start: Math.min(lineEnd, text.length) };
    open = undefined;
  }
  closeStderr(text.length);
  if (open) sections.set(open.name, { name: open.name, stdout: text.slice(open.stdoutStart), stderr: '' });
  return { format, sections };
}

/** True when the section ran to the end and its command succeeded. */
export function succeeded(section: ProbeSection | undefined): section is ProbeSection & { status: 0 } {
  return section?.status === 0;
}

/** The first line of what a failed section said, for a note: its stderr, else its exit status. */
export function failureText(section: ProbeSection | undefined): string {
  if (!section) return 'it did not run';
  const line = section.stderr.split('\n').map((l) => l.trim()).find(Boolean);
  if (line) return line;
  return section.status === undefined ? 'its output was cut short' : `exit status ${section.status}`;
}
