import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * ZIP archives as spreadsheets use them: written with Node's own deflate and CRC-32 (no ZIP64,
 * sheets stay far below 4 GB), read through the central directory with every entry's CRC checked
 * and a cap on what one entry may inflate to (a zip bomb stops there).
 */
/** A ZIP archive (deflate, no encryption, no ZIP64: sheets stay far below 4 GB). */
export const zip = (entries: [string, string | Buffer][]): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0x00210000, 10); // time/date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
};

/** The largest entry `readZip` inflates: far above a 5,000-row sheet, far below a bomb. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

export class ZipError extends Error {}

/** The entries of a ZIP archive by name; each is inflated (and its CRC checked) when read. */
export const readZip = (file: Buffer): Map<string, () => Buffer> => {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > file.length) throw new ZipError('not a zip: no end of central directory');
  const count = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > file.length || file.readUInt32LE(at) !== 0x02014b50) throw new ZipError('bad central directory');
    const method = file.readUInt16LE(at + 10);
    const crc = file.readUInt32LE(at + 16);
    const packedSize = file.readUInt32LE(at + 20);
    const nameLength = file.readUInt16LE(at + 28);
    const extra = file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
    const local = file.readUInt32LE(at + 42);
    const name = file.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    entries.set(name, () => {
      if (local + 30 > file.length) throw new ZipError(`bad local header of ${name}`);
      const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
      const packed = file.subarray(start, start + packedSize);
      if (method !== 0 && method !== 8) throw new ZipError(`unsupported compression in ${name}`);
      const data = method === 8 ? inflateRawSync(packed, { maxOutputLength: MAX_ENTRY_BYTES }) : packed;
      if (crc32(data) !== crc) throw new ZipError(`CRC mismatch in ${name}`);
      return data;
    });
    at += 46 + nameLength + extra;
  }
  return entries;
};
