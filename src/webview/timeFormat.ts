// How a pane shows a frame's time: the wall clock (`HH:MM:SS.micro`, as tcpdump prints it by
// default) or the time since the pane's first frame (`+S.micro`, tcpdump's -ttttt). The time is
// whole microseconds since the epoch, so the digits are tcpdump's own, never rounded by a double.

export type TimeMode = 'wall' | 'relative';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * `HH:MM:SS.uuuuuu` of a time in microseconds since the epoch, in the time zone `utcOffsetMinutes`
 * ahead of UTC (default: this machine's at that moment).
 */
export function formatWallClock(timeUs: number, utcOffsetMinutes?: number): string {
  const ms = Math.floor(timeUs / 1000);
  const offset = utcOffsetMinutes ?? -new Date(ms).getTimezoneOffset();
  const micros = ((timeUs % 1_000_000) + 1_000_000) % 1_000_000;
  const secondsOfDay = (((Math.floor(timeUs / 1_000_000) + offset * 60) % 86_400) + 86_400) % 86_400;
  return `${pad(Math.floor(secondsOfDay / 3600), 2)}:${pad(Math.floor(secondsOfDay / 60) % 60, 2)}:${pad(secondsOfDay % 60, 2)}.${pad(micros, 6)}`;
}

/** `+S.uuuuuu` since `startUs` (negative for a frame before it, as a merged pane can show). */
export function formatRelative(timeUs: number, startUs: number): string {
  const delta = timeUs - startUs;
  const sign = delta < 0 ? '-' : '+';
  const abs = Math.abs(delta);
  return `${sign}${Math.floor(abs / 1_000_000)}.${pad(abs % 1_000_000, 6)}`;
}
