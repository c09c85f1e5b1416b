import { crc32, deflateSync } from 'node:zlib';

/**
 * A PNG file of 8-bit RGB scanlines (`raw`: each row a filter byte 0 and its pixels), as a camera or
 * a screenshot tool would hand over; `level` trades size for speed on large pictures.
 */
export const encodePng = (width: number, height: number, raw: Buffer, level?: number): Buffer => {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, level === undefined ? {} : { level })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

/** A small real PNG (a green picture with a lighter band), as a phone camera would hand over a photo. */
export const png = (width: number, height: number): Buffer => {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++)
      rows.push(...(y > height / 3 && y < (2 * height) / 3 ? [120, 190, 150] : [15, 110, 79]));
  }
  return encodePng(width, height, Buffer.from(rows));
};
