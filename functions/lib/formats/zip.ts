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

/** The largest entry `readZip` inflates unless told a lower cap: far above a 5,000-row sheet, far below a bomb. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** The most entries an archive may list: a workbook has a dozen or so; thousands are an attack on the loop. */
export const MAX_ZIP_ENTRIES = 1000;

export class ZipError extends Error {}

const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * The entries of a ZIP archive by name; each is inflated (and its size and CRC checked) when read,
 * up to `maxBytes` (default MAX_ENTRY_BYTES). Every offset and size is checked against the archive
 * before use, so a hostile archive (entries outside the file or over one another, sizes that lie,
 * ZIP64 or encryption markers, duplicate names, thousands of entries) is a ZipError, never a crash.
 */
export const readZip = (file: Buffer): Map<string, (maxBytes?: number) => Buffer> => {
  const end = file.lastIndexOf(END_OF_DIRECTORY);
  if (end < 0 || end + 22 > file.length) throw new ZipError('not a zip: no end of central directory');
  const count = file.readUInt16LE(end + 10);
  const directorySize = file.readUInt32LE(end + 12);
  const directoryStart = file.readUInt32LE(end + 16);
  if (count === 0xffff || directoryStart === 0xffffffff) throw new ZipError('ZIP64 archives are not supported');
  if (count > MAX_ZIP_ENTRIES) throw new ZipError(`more than ${MAX_ZIP_ENTRIES} entries`);
  const directoryEnd = directoryStart + directorySize;
  if (directoryEnd > end) throw new ZipError('central directory outside the file');
  const entries = new Map<string, (maxBytes?: number) => Buffer>();
  const spans: [number, number][] = [];
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directoryEnd || file.readUInt32LE(at) !== 0x02014b50) throw new ZipError('bad central directory');
    const flags = file.readUInt16LE(at + 8);
    const method = file.readUInt16LE(at + 10);
    const crc = file.readUInt32LE(at + 16);
    const packedSize = file.readUInt32LE(at + 20);
    const size = file.readUInt32LE(at + 24);
    const nameLength = file.readUInt16LE(at + 28);
    const extra = file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
    const local = file.readUInt32LE(at + 42);
    if (at + 46 + nameLength + extra > directoryEnd) throw new ZipError('bad central directory');
    const name = file.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extra;
    if (flags & 1) throw new ZipError(`${name} is encrypted`);
    if (packedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff)
      throw new ZipError('ZIP64 archives are not supported');
    // Local header and data lie before the central directory, inside the file.
    if (local + 30 > directoryStart || file.readUInt32LE(local) !== 0x04034b50)
      throw new ZipError(`bad local header of ${name}`);
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    if (start + packedSize > directoryStart) throw new ZipError(`data of ${name} runs past its archive`);
    if (entries.has(name)) throw new ZipError(`${name} appears twice`);
    spans.push([local, start + packedSize]);
    entries.set(name, (maxBytes = MAX_ENTRY_BYTES) => {
      if (method !== 0 && method !== 8) throw new ZipError(`unsupported compression in ${name}`);
      if (size > maxBytes) throw new ZipError(`${name} is larger than ${maxBytes} bytes`);
      const packed = file.subarray(start, start + packedSize);
      let data: Buffer;
      try {
        // One byte more than the entry says it holds: a lie about the size stops there.
        data = method === 8 ? inflateRawSync(packed, { maxOutputLength: size + 1 }) : packed;
      } catch {
        throw new ZipError(`${name} is corrupt or larger than it says`);
      }
      if (data.length !== size) throw new ZipError(`${name} is not the size it says`);
      if (crc32(data) !== crc) throw new ZipError(`CRC mismatch in ${name}`);
      return data;
    });
  }
  // Entries sharing bytes are how a small archive inflates to gigabytes ("overlapping" zip bombs).
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) {
    if ((spans[i]?.[0] ?? 0) < (spans[i - 1]?.[1] ?? 0)) throw new ZipError('entries overlap');
  }
  return entries;
};
