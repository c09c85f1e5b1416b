import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Reads one entry of a ZIP file through its central directory, checking its CRC:
 * enough to look inside an exported XLSX.
 */
export const readZipEntry = (file: Buffer, name: string): string => {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (file.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = file.readUInt16LE(at + 10);
    const crc = file.readUInt32LE(at + 16);
    const packedSize = file.readUInt32LE(at + 20);
    const nameLength = file.readUInt16LE(at + 28);
    const extra = file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
    const local = file.readUInt32LE(at + 42);
    const entryName = file.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
      const packed = file.subarray(start, start + packedSize);
      const data = method === 8 ? inflateRawSync(packed) : packed;
      if (crc32(data) !== crc) throw new Error(`CRC mismatch in ${name}`);
      return data.toString('utf8');
    }
    at += 46 + nameLength + extra;
  }
  throw new Error(`no entry ${name}`);
};
