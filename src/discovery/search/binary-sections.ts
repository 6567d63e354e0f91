// A file of named binary sections behind a small JSON header, so that readers get typed-array
// views straight over one read of the file instead of parsing a big JSON blob. Sections a
// reader needs only a few bytes of can stay on disk and be read by position.
//
// Layout (little endian): 8-byte magic | u32 header length | JSON header | padding to 4 |
// the sections, each starting at a multiple of 4 from the data start (header.sections says where).
import { closeSync, openSync, readSync } from 'node:fs';

export type SectionArray = Uint8Array | Int8Array | Uint16Array | Uint32Array | Float32Array;
type SectionType<T extends SectionArray> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

const align4 = (n: number) => (n + 3) & ~3;

export function writeSections(magic: string, header: object, sections: Record<string, SectionArray>): Buffer {
  const table: Record<string, [number, number]> = {};
  let at = 0;
  for (const [name, array] of Object.entries(sections)) {
    table[name] = [at, array.byteLength];
    at = align4(at + array.byteLength);
  }
  const json = Buffer.from(JSON.stringify({ ...header, sections: table }));
  const dataStart = align4(12 + json.length);
  const out = Buffer.alloc(dataStart + at);
  out.write(magic, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  for (const [name, array] of Object.entries(sections)) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + table[name]![0]);
  }
  return out;
}

export interface SectionReader<H> {
  header: H;
  /** A view (not a copy) of one section held in memory. */
  section<T extends SectionArray>(name: string, type: SectionType<T>): T;
  /** Bytes [from, to) of a section, from memory or, for a section left on disk, from the file. */
  bytes(name: string, from: number, to: number): Buffer;
}

interface Layout<H> {
  header: H & { sections: Record<string, [number, number]> };
  dataStart: number;
}

function layoutOf<H>(head: Buffer, magic: string, readHeader: (length: number) => Buffer): Layout<H> {
  if (head.length < 12 || head.toString('latin1', 0, 8) !== magic) throw new Error(`not a ${magic} file`);
  const length = head.readUInt32LE(8);
  const header = JSON.parse(readHeader(length).toString('utf8')) as Layout<H>['header'];
  return { header, dataStart: align4(12 + length) };
}

/** A reader over `data`, which holds the file from `dataStart` on, up to `held` bytes of it. */
function reader<H>({ header, dataStart }: Layout<H>, data: Buffer, held: number, readFile: (position: number, length: number) => Buffer): SectionReader<H> {
  const place = (name: string) => {
    const found = header.sections[name];
    if (!found) throw new Error(`file has no section ${name}`);
    return found;
  };
  return {
    header,
    section(name, type) {
      const [offset, length] = place(name);
      if (offset + length > held) throw new Error(`section ${name} is not in memory (or the file is truncated)`);
      return new type(data.buffer, data.byteOffset + offset, length / type.BYTES_PER_ELEMENT);
    },
    bytes(name, from, to) {
      const [offset] = place(name);
      return offset + to <= held ? data.subarray(offset + from, offset + to) : readFile(dataStart + offset + from, to - from);
    },
  };
}

/** Read sections from a buffer holding the whole file. */
export function readSections<H>(input: Buffer, magic: string): SectionReader<H> {
  // Typed-array views need aligned offsets; small buffers may sit unaligned in Node's pool.
  const buf = input.byteOffset % 4 === 0 ? input : Buffer.from(input);
  const layout = layoutOf<H>(buf, magic, (length) => buf.subarray(12, 12 + length));
  return reader(layout, buf.subarray(layout.dataStart), buf.length - layout.dataStart, () => {
    throw new Error('the file is truncated');
  });
}

/**
 * Open a sections file: one read of every section except `onDisk` ones (written last), which
 * are read by position through the descriptor. `close` releases it.
 */
export function openSections<H>(file: string, magic: string, onDisk: readonly string[]): SectionReader<H> & { close(): void } {
  const fd = openSync(file, 'r');
  try {
    const read = (position: number, length: number): Buffer => {
      // allocUnsafeSlow: never from the shared pool, so typed-array views stay aligned.
      const out = Buffer.allocUnsafeSlow(length);
      if (readSync(fd, out, 0, length, position) !== length) throw new Error('the file is truncated');
      return out;
    };
    const layout = layoutOf<H>(read(0, 12), magic, (length) => read(12, length));
    const held = Math.max(0, ...Object.entries(layout.header.sections).filter(([name]) => !onDisk.includes(name)).map(([, [offset, length]]) => offset + length));
    return { ...reader(layout, read(layout.dataStart, held), held, read), close: () => closeSync(fd) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
