// Draws the app icon, build/icon.png (512×512 RGBA): a white shield with a keyhole on an
// indigo rounded square. Pure Node (zlib) so it needs no image tool; the PNG is committed and
// electron-builder converts it to .icns (macOS) and .ico (Windows) when packaging.
// Run: npx tsx scripts/make-icon.ts [out.png]
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';

export const ICON_SIZE = 512;
const SUPERSAMPLE = 4; // 4×4 samples per pixel for smooth edges

type Rgb = readonly [number, number, number];
const INDIGO_TOP: Rgb = [49, 46, 129];
const INDIGO_BOTTOM: Rgb = [67, 56, 202];
const SHIELD: Rgb = [248, 250, 252];

function insideRoundedSquare(x: number, y: number): boolean {
  const margin = 24;
  const radius = 104;
  const lo = margin + radius;
  const hi = ICON_SIZE - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return dx * dx + dy * dy <= radius * radius;
}

// Shield in a box 300 wide, 340 high, centred: straight sides for the upper half, then
// narrowing to a point along a parabola; the top edge dips slightly towards the middle.
function insideShield(x: number, y: number): boolean {
  const u = (x - ICON_SIZE / 2) / 150;
  const v = (y - 92) / 340;
  if (v < 0 || v > 1 || Math.abs(u) > 1) return false;
  if (v < 0.025 * (1 - u * u)) return false;
  if (v <= 0.5) return true;
  const t = (v - 0.5) / 0.5;
  return Math.abs(u) <= 1 - t * t;
}

function insideKeyhole(x: number, y: number): boolean {
  const cx = ICON_SIZE / 2;
  const cy = 232;
  const r = 46;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  // A slot widening downwards from the circle.
  if (y < cy || y > 352) return false;
  const halfWidth = 16 + ((y - cy) / (352 - cy)) * 14;
  return Math.abs(x - cx) <= halfWidth;
}

function backgroundAt(y: number): Rgb {
  const t = y / ICON_SIZE;
  return [0, 1, 2].map((i) => INDIGO_TOP[i]! + (INDIGO_BOTTOM[i]! - INDIGO_TOP[i]!) * t) as unknown as Rgb;
}

/** RGBA pixels, row by row. */
export function drawIcon(): Uint8Array {
  const pixels = new Uint8Array(ICON_SIZE * ICON_SIZE * 4);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < ICON_SIZE; py++) {
    for (let px = 0; px < ICON_SIZE; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = px + (sx + 0.5) / SUPERSAMPLE;
          const y = py + (sy + 0.5) / SUPERSAMPLE;
          if (!insideRoundedSquare(x, y)) continue;
          const colour = insideShield(x, y) && !insideKeyhole(x, y) ? SHIELD : backgroundAt(y);
          r += colour[0]; g += colour[1]; b += colour[2]; a += 255;
        }
      }
      const o = (py * ICON_SIZE + px) * 4;
      // Colour is averaged over covered samples only (straight alpha), coverage goes to alpha.
      const covered = a / 255;
      pixels[o] = covered ? Math.round(r / covered) : 0;
      pixels[o + 1] = covered ? Math.round(g / covered) : 0;
      pixels[o + 2] = covered ? Math.round(b / covered) : 0;
      pixels[o + 3] = Math.round(a / samples);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // compression, filter and interlace methods stay 0
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const out = process.argv[2] ?? path.join(import.meta.dirname, '..', 'build', 'icon.png');
  writeFileSync(out, encodePng(ICON_SIZE, ICON_SIZE, drawIcon()));
  console.log(`wrote ${out}`);
}
