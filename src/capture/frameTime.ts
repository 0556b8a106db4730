// A frame's time exactly as tcpdump printed it (`-tt`: seconds.microseconds since the epoch), as
// whole microseconds. A double holds today's epoch in seconds to about a quarter of a
// microsecond only, so sorting and showing frames works on the integer read from the text.
// Pure, no Node imports: the webview bundle imports it too.

const STAMP = /^(\d{1,12})\.(\d{1,9}) /;

/** Microseconds since the epoch from a line starting with tcpdump's `-tt` stamp, and the text after it. */
export function splitTimestamp(raw: string): { timeUs: number; text: string } | undefined {
  const stamp = STAMP.exec(raw);
  if (!stamp) return undefined;
  const fraction = stamp[2].padEnd(6, '0').slice(0, 6);
  return { timeUs: Number(stamp[1]) * 1_000_000 + Number(fraction), text: raw.slice(stamp[0].length) };
}

/** A frame's time in whole microseconds: from its text when it has a stamp, else from its parsed seconds. */
export function frameTimeUs(frame: { raw: string; time: number }): number {
  return splitTimestamp(frame.raw)?.timeUs ?? Math.round(frame.time * 1_000_000);
}
