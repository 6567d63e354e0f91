// A file of named binary sections behind a small JSON header, so that readers get typed-array
// views straight over one readFileSync buffer instead of parsing a big JSON blob.
//
// Layout (little endian): 8-byte magic | u32 header length | JSON header | padding to 4 |
// the sections, each starting at a multiple of 4 from the data start (header.sections says where).

export type SectionArray = Uint8Array | Int8Array | Uint32Array | Float32Array;
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
  /** A view (not a copy) of one section. */
  section<T extends SectionArray>(name: string, type: SectionType<T>): T;
}

export function readSections<H>(input: Buffer, magic: string): SectionReader<H> {
  if (input.length < 12 || input.toString('latin1', 0, 8) !== magic) throw new Error(`not a ${magic} file`);
  // Typed-array views need aligned offsets; small files may sit unaligned in Node's buffer pool.
  const buf = input.byteOffset % 4 === 0 ? input : Buffer.from(input);
  const length = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + length)) as H & { sections: Record<string, [number, number]> };
  const dataStart = align4(12 + length);
  return {
    header,
    section(name, type) {
      const place = header.sections[name];
      if (!place) throw new Error(`${magic} file has no section ${name}`);
      const [offset, bytes] = place;
      if (dataStart + offset + bytes > buf.length) throw new Error(`${magic} file is truncated (section ${name})`);
      return new type(buf.buffer, buf.byteOffset + dataStart + offset, bytes / type.BYTES_PER_ELEMENT);
    },
  };
}
