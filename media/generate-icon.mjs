// Draws media/icon.png (128×128, the Marketplace icon) from the same shapes as overlay-lab.svg,
// with Node's built-ins only: the machines that build this have no image tools.
// Run: node media/generate-icon.mjs

import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the edges
const SCALE = 4; // the 24-unit drawing becomes 96 px…
const OFFSET = 16; // …centred on the tile
const STROKE = 1.5;

const background = { top: [0x1d, 0x3b, 0x52], bottom: [0x12, 0x20, 0x2c] };
const white = [0xe8, 0xf1, 0xf7];
const teal = [0x3f, 0xd0, 0xc9];

// Signed distances in drawing units (negative inside).
function roundedBox(x, y, cx, cy, halfWidth, halfHeight, radius) {
  const qx = Math.abs(x - cx) - halfWidth + radius;
  const qy = Math.abs(y - cy) - halfHeight + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function segment(x, y, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

const strokes = [
  // The hosts: outlines of rounded boxes, and a line near each top.
  { color: white, distance: (x, y) => Math.abs(roundedBox(x, y, 4.75, 12, 3, 7.25, 1.5)) },
  { color: white, distance: (x, y) => Math.abs(roundedBox(x, y, 19.25, 12, 3, 7.25, 1.5)) },
  { color: white, distance: (x, y) => segment(x, y, 4, 8, 5.5, 8) },
  { color: white, distance: (x, y) => segment(x, y, 18.5, 8, 20, 8) },
  // The tunnel's walls.
  { color: white, distance: (x, y) => segment(x, y, 7.75, 10.5, 16.25, 10.5) },
  { color: white, distance: (x, y) => segment(x, y, 7.75, 16.5, 16.25, 16.5) },
  // The overlay path inside it.
  { color: teal, distance: (x, y) => segment(x, y, 9.5, 13.5, 10.5, 13.5) },
  { color: teal, distance: (x, y) => segment(x, y, 13.5, 13.5, 14.5, 13.5) },
];

function colorAt(px, py) {
  // The tile: a rounded square with a vertical gradient.
  if (roundedBox(px, py, SIZE / 2, SIZE / 2, SIZE / 2, SIZE / 2, 22) > 0) return null;
  const t = py / SIZE;
  let color = background.top.map((top, i) => top + (background.bottom[i] - top) * t);
  const x = (px - OFFSET) / SCALE;
  const y = (py - OFFSET) / SCALE;
  for (const stroke of strokes) if (stroke.distance(x, y) <= STROKE / 2) color = stroke.color;
  return color;
}

const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let py = 0; py < SIZE; py++) {
  const row = py * (1 + SIZE * 4);
  rows[row] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const color = colorAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!color) continue;
        covered++;
        for (let i = 0; i < 3; i++) sum[i] += color[i];
      }
    }
    const at = row + 1 + px * 4;
    for (let i = 0; i < 3; i++) rows[at + i] = covered ? Math.round(sum[i] / covered) : 0;
    rows[at + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
