// Capture lines as terminal text: each frame coloured by its class with ANSI codes, so that the
// colours come from the terminal theme (the user's `terminal.ansi*` colours), never fixed here.
// Text from the wire is made inert first: a packet's payload must not drive the terminal.

import type { FrameClass, FrameLine } from './protocol';

const RESET = '\x1b[0m';

/** SGR parameters per class; '' leaves the line in the default foreground. */
export const CLASS_SGR: Readonly<Record<FrameClass, string>> = {
  arp: '33', // yellow
  icmp: '32', // green
  icmp6: '92', // bright green
  ip: '',
  ipv6: '34', // blue
  vxlan: '35', // magenta
  geneve: '36', // cyan
  other: '2', // dim
};

/** A magenta bar before a frame that was carried inside a tunnel. */
export const ENCAPSULATED_MARK = `\x1b[35m▌${RESET} `;

/**
 * Control characters (C0, DEL, C1: ESC and CSI among them) shown as `·`, tabs as a space, so
 * that nothing from the capture can move the cursor, retitle the terminal or change colours.
 */
export function inert(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '·');
}

/**
 * One frame as terminal text. `encapsulated` marks a frame that was carried inside a tunnel. A
 * text of several lines (tcpdump's outer line and the inner frame's) gives several terminal
 * lines, those after the first marked as carried.
 */
export function colourFrame(line: FrameLine, prefix = '', continuation = ''): string {
  const sgr = CLASS_SGR[line.class] ?? '';
  return line.text
    .split(/\r?\n/)
    .map((part, index) => {
      const text = inert(part);
      return `${index === 0 ? prefix : continuation}${line.encapsulated || index > 0 ? ENCAPSULATED_MARK : ''}${sgr ? `\x1b[${sgr}m${text}${RESET}` : text}`;
    })
    .join('\r\n');
}

/**
 * Frames as terminal lines, each ended by CRLF (the terminal does not convert LF). `prefix`
 * gives what goes before a frame (its time, its `host:iface`), as terminal text, already inert.
 */
export function frameLines(lines: readonly FrameLine[], prefix?: (line: FrameLine) => { first: string; continuation: string }): string[] {
  return lines.map((line) => {
    const before = prefix?.(line);
    return `${colourFrame(line, before?.first, before?.continuation)}\r\n`;
  });
}

/** SGR colours of a merged pane's sources, in turn: the theme's bright ANSI colours, then its normal ones. */
export const SOURCE_SGR: readonly string[] = ['96', '93', '95', '94', '91', '92', '36', '33', '35', '34', '31', '32'];
/** The same colours as the theme's CSS variables, for the pane's legend. */
export const SOURCE_CSS: readonly string[] = [
  'ansiBrightCyan', 'ansiBrightYellow', 'ansiBrightMagenta', 'ansiBrightBlue', 'ansiBrightRed', 'ansiBrightGreen',
  'ansiCyan', 'ansiYellow', 'ansiMagenta', 'ansiBlue', 'ansiRed', 'ansiGreen',
].map((name) => `var(--vscode-terminal-${name})`);

/** A merged pane's `host:iface` before each line, padded to `width`, in the source's colour. */
export function sourcePrefix(label: string, index: number, width: number): string {
  return `\x1b[1;${SOURCE_SGR[index % SOURCE_SGR.length]}m${inert(label).padEnd(width)}${RESET} `;
}

export type NoticeKind = 'info' | 'skip' | 'error';

const NOTICE_SGR: Record<NoticeKind, string> = { info: '2;3', skip: '33;3', error: '31' };

/** A line of our own in the terminal: dim for info, yellow for skipped lines, red for an error. */
export function noticeLine(text: string, kind: NoticeKind): string {
  return `\x1b[${NOTICE_SGR[kind]}m${inert(text)}${RESET}\r\n`;
}

/** Where lines went missing: held past the limit while paused, skipped by the extension, or trimmed as scrollback never drawn. */
export function skippedNotice(count: number, reason: 'paused' | 'trimmed' | 'sender' = 'sender', limit = 0): string {
  const lines = `${count.toLocaleString('en-US')} line${count === 1 ? '' : 's'}`;
  const why =
    reason === 'paused'
      ? `not held: the pause held its limit of ${limit.toLocaleString('en-US')} lines`
      : reason === 'trimmed'
        ? `trimmed unwritten: the pane was more than ${limit.toLocaleString('en-US')} lines behind, so they would have scrolled out of the scrollback before they were drawn (counted, not shown)`
        : 'skipped: they came faster than the pane is sent lines';
  return noticeLine(`… ${lines} ${why}`, 'skip');
}
