// Theme colours as cytoscape takes them. VS Code gives its colours as CSS variables, often as
// `#rrggbbaa`, which cytoscape does not parse; canvas drawing also needs concrete values, never
// `var(...)`. Pure: the DOM reading is in theme.ts.

/** `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`, `rgba()` or a plain name, as `#rrggbb` or `rgba(r,g,b,a)`; else the fallback. */
export function concreteColour(value: string | undefined, fallback: string): string {
  const text = (value ?? '').trim().toLowerCase();
  if (!text) return fallback;
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(text);
  if (hex) {
    let digits = hex[1];
    if (digits.length <= 4) digits = [...digits].map((digit) => digit + digit).join('');
    const [r, g, b] = [0, 2, 4].map((at) => parseInt(digits.slice(at, at + 2), 16));
    if (digits.length === 6) return `#${digits}`;
    const alpha = Math.round((parseInt(digits.slice(6, 8), 16) / 255) * 1000) / 1000;
    return `rgba(${r},${g},${b},${alpha})`;
  }
  const rgb = /^rgba?\(\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*(?:[,/]\s*([\d.]+%?))?\s*\)$/.exec(text);
  if (rgb) {
    const [r, g, b] = rgb.slice(1, 4).map((part) => Math.min(255, Number(part)));
    if (rgb[4] === undefined) return `rgb(${r},${g},${b})`;
    const alpha = rgb[4].endsWith('%') ? Number(rgb[4].slice(0, -1)) / 100 : Number(rgb[4]);
    return `rgba(${r},${g},${b},${Math.max(0, Math.min(1, alpha))})`;
  }
  if (/^[a-z]{3,20}$/.test(text) && text !== 'transparent' && text !== 'inherit' && text !== 'initial') return text;
  return fallback;
}

/** The colour's red, green and blue (0–255) and alpha, when it is in one of concreteColour's forms. */
export function channels(colour: string): { r: number; g: number; b: number; a: number } | undefined {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex) return { r: parseInt(hex[1].slice(0, 2), 16), g: parseInt(hex[1].slice(2, 4), 16), b: parseInt(hex[1].slice(4, 6), 16), a: 1 };
  const rgb = /^rgba?\((\d+),(\d+),(\d+)(?:,([\d.]+))?\)$/.exec(colour);
  if (rgb) return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]), a: rgb[4] === undefined ? 1 : Number(rgb[4]) };
  return undefined;
}

/** The colour at this opacity (a name is returned as it is). */
export function withAlpha(colour: string, alpha: number): string {
  const parts = channels(colour);
  return parts ? `rgba(${parts.r},${parts.g},${parts.b},${alpha})` : colour;
}

/** A translucent colour laid on an opaque background, as one opaque colour (for fills drawn on canvas and SVG). */
export function flatten(colour: string, background: string): string {
  const top = channels(colour);
  const bottom = channels(background);
  if (!top || !bottom || top.a >= 1) return colour;
  const mix = (a: number, b: number) => Math.round(a * top.a + b * (1 - top.a));
  const hex = (value: number) => value.toString(16).padStart(2, '0');
  return `#${hex(mix(top.r, bottom.r))}${hex(mix(top.g, bottom.g))}${hex(mix(top.b, bottom.b))}`;
}

/** Relative luminance (0 dark … 1 light), for choosing what reads on a background. */
export function luminance(colour: string): number {
  const parts = channels(colour);
  if (!parts) return 0.5;
  const linear = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(parts.r) + 0.7152 * linear(parts.g) + 0.0722 * linear(parts.b);
}
