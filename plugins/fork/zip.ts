/**
 * A minimal zip archive: files compressed with DEFLATE, UTF-8 names, no directories, no comments, no zip64 (a
 * chapter and its lab are a few dozen small files). Every entry is dated 1980-01-01, the format's first day, so that
 * the same files always make the same bytes: a download changes only when its files do.
 * `unzip` reads archives of this shape back; the tests and anyone checking a download use it.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The file's path inside the archive, with `/` separators: `docs/02-load-balancer.mdx`. */
  path: string;
  content: Buffer;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DEFLATE = 8;
const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: DEFLATE
const MADE_ON_UNIX = 3 << 8; // so that the external attributes below are Unix permissions
const REGULAR_FILE = 0o100644 << 16;
const JANUARY_1980 = (1 << 5) | 1; // MS-DOS date: year 1980 + 0, month 1, day 1

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8');
    const data = deflateRawSync(entry.content);
    const fields = { crc: crc32(entry.content), compressed: data.length, size: entry.content.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    writeCommon(local, 6, fields, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(MADE_ON_UNIX | VERSION, 4);
    central.writeUInt16LE(VERSION, 6);
    writeCommon(central, 8, fields, name.length);
    central.writeUInt32LE(REGULAR_FILE >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The fields a local header and a central header share, from "general purpose flags" to "name length". */
function writeCommon(header: Buffer, at: number, fields: { crc: number; compressed: number; size: number }, nameLength: number): void {
  header.writeUInt16LE(UTF8_NAMES, at);
  header.writeUInt16LE(DEFLATE, at + 2);
  header.writeUInt16LE(0, at + 4); // time: midnight
  header.writeUInt16LE(JANUARY_1980, at + 6);
  header.writeUInt32LE(fields.crc, at + 8);
  header.writeUInt32LE(fields.compressed, at + 12);
  header.writeUInt32LE(fields.size, at + 16);
  header.writeUInt16LE(nameLength, at + 20);
}

/** The files of an archive that `zip` wrote, read through its central directory; throws on anything else. */
export function unzip(archive: Buffer): ZipEntry[] {
  const end = archive.length - 22;
  if (end < 0 || archive.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) throw new Error('not a zip archive (or one with a comment)');
  const entries: ZipEntry[] = [];
  let at = archive.readUInt32LE(end + 16);
  for (let count = archive.readUInt16LE(end + 10); count > 0; count--) {
    if (archive.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`no central directory entry at byte ${at}`);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const path = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(dataStart, dataStart + compressed);
    const content = method === DEFLATE ? inflateRawSync(data) : Buffer.from(data);
    if (crc32(content) !== crc) throw new Error(`${path}: the checksum does not match`);
    entries.push({ path, content });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
