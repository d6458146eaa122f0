// images.mjs: images made byte by byte for the photo tests (PNG, EXIF with GPS), and what a stored JPEG may hold
import assert from 'node:assert/strict';
import zlib from 'node:zlib';


const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => (buf.reduce((c, b) => CRC[(c ^ b) & 0xff] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}
// An RGB PNG of w × h: a gradient, or (idat given) whatever image data one claims it holds.
export function png(w, h, idat) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  if (!idat) {
    const rows = Buffer.alloc(h * (1 + 3 * w));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) rows.set([(x * 255 / w) | 0, (y * 255 / h) | 0, 96], y * (1 + 3 * w) + 1 + 3 * x);
    }
    idat = zlib.deflateSync(rows);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

// The segments of a JPEG up to its scan: [{marker, data}], and its size from the frame header.
export function jpegSegments(buf) {
  assert.deepEqual([...buf.subarray(0, 2)], [0xff, 0xd8], 'a JPEG begins with SOI');
  const segs = [];
  let width = 0, height = 0;
  for (let i = 2; i < buf.length;) {
    assert.equal(buf[i], 0xff, `a marker at ${i}`);
    const marker = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    const data = buf.subarray(i + 4, i + 2 + len);
    segs.push({ marker, data });
    if (marker >= 0xc0 && marker <= 0xc2) { height = data.readUInt16BE(1); width = data.readUInt16BE(3); }
    if (marker === 0xda) break;
    i += 2 + len;
  }
  return { segs, width, height };
}

// A JPEG with metadata a phone writes: EXIF with the orientation (turn 90° to be upright) and where it was
// taken (GPS: 23°9'36"N 113°16'48"E), and a comment; inserted after SOI of a plain JPEG.
export function withGps(jpeg) {
  const t = Buffer.alloc(152);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);
  const entry = (at, tag, type, count, value) => {
    t.writeUInt16LE(tag, at); t.writeUInt16LE(type, at + 2); t.writeUInt32LE(count, at + 4);
    if (typeof value === 'number') t.writeUInt32LE(value, at + 8);
    else t.set(value, at + 8);
  };
  // IFD0 at 8: two entries, no next IFD.
  t.writeUInt16LE(2, 8);
  entry(10, 0x0112, 3, 1, 6); // Orientation, SHORT: rotate 90° clockwise
  entry(22, 0x8825, 4, 1, 38); // GPS IFD at 38
  t.writeUInt32LE(0, 34);
  // GPS IFD at 38: five entries, then the rationals at 104.
  t.writeUInt16LE(5, 38);
  entry(40, 0x0000, 1, 4, [2, 3, 0, 0]); // GPSVersionID
  entry(52, 0x0001, 2, 2, [0x4e, 0]); // GPSLatitudeRef "N"
  entry(64, 0x0002, 5, 3, 104); // GPSLatitude
  entry(76, 0x0003, 2, 2, [0x45, 0]); // GPSLongitudeRef "E"
  entry(88, 0x0004, 5, 3, 128); // GPSLongitude
  t.writeUInt32LE(0, 100);
  [23, 1, 9, 1, 3600, 100, 113, 1, 16, 1, 4800, 100].forEach((v, k) => t.writeUInt32LE(v, 104 + 4 * k));
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif]);
  const note = Buffer.from('拍摄地点：石榴桥路18号', 'utf8');
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, (note.length + 2) >> 8, (note.length + 2) & 0xff]), note]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, com, jpeg.subarray(2)]);
}

// The latitude's rationals as EXIF writes them (23/1 9/1, little-endian).
export const LATITUDE = Buffer.from([23, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0]);

// What a stored photo may hold: the image, and none of EXIF/XMP (APP1), ICC (APP2), IPTC (APP13), comments (COM).
export function assertNoMetadata(buf, what) {
  const { segs } = jpegSegments(buf);
  const extra = segs.filter((s) => (s.marker >= 0xe1 && s.marker <= 0xef) || s.marker === 0xfe);
  assert.deepEqual(extra.map((s) => s.marker.toString(16)), [], `${what}: no metadata segment`);
  for (const needle of ['Exif', 'http://ns.adobe.com', '石榴桥路']) assert.ok(!buf.includes(Buffer.from(needle)), `${what}: no ${needle}`);
  assert.ok(!buf.includes(LATITUDE), `${what}: no latitude`);
}

