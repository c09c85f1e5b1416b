import { readZip } from '../../functions/lib/formats/zip.ts';

/** One entry of a ZIP file as text (CRC checked): enough to look inside an exported XLSX. */
export const readZipEntry = (file: Buffer, name: string): string => {
  const entry = readZip(file).get(name);
  if (!entry) throw new Error(`no entry ${name}`);
  return entry().toString('utf8');
};
