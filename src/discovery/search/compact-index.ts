// The saved search index, our own compact form: one inverted index per text field (sorted
// words, posting lists of document numbers), int8 embeddings in one block, and the documents
// themselves as JSON records decoded only for the results shown. `find` reads it with one
// readFileSync and searches typed-array views over that buffer: nothing big is parsed.
import type { FieldPostings } from './bm25.js';
import { openSections, readSections, writeSections, type SectionArray, type SectionReader } from './binary-sections.js';
import { encodeStrings, sortByBytes, StringTable } from './string-table.js';
import { contentWords } from './identifier-words.js';
import { termCounts } from './text-tokens.js';
import { embeddingText, type ToolDocument } from './tool-documents.js';

const MAGIC = 'MCPGWIX2';

const descriptors = new FinalizationRegistry<() => void>((close) => close());

/**
 * Fields the full-text ranker reads: how much one occurrence in each counts, and how much a long
 * field is discounted (b). The tool's own name and description lead; parameters and the server's
 * text (shared by all its tools, "Model Context Protocol" on many servers) count for less. Names
 * are short and vary little in length, so their length matters less.
 */
export const TEXT_FIELDS = {
  nameWords: { weight: 3, b: 0.5 },
  descriptionWords: { weight: 1.5, b: 0.75 },
  params: { weight: 0.5, b: 0.75 },
  serverText: { weight: 0.5, b: 0.75 },
} as const;
export type TextField = keyof typeof TEXT_FIELDS;
const FIELD_NAMES = Object.keys(TEXT_FIELDS) as TextField[];

/** One document ready to be written: its record, term counts per field, quantised embedding. */
export interface IndexEntry {
  doc: ToolDocument;
  tokens: Record<TextField, Map<string, number>>;
  /** Distinct content words of the embedding text, for word-by-word reranking without parsing the record. */
  words: string[];
  vector?: Int8Array;
}

export function fieldTexts(doc: ToolDocument): Record<TextField, string> {
  return { nameWords: doc.nameWords, descriptionWords: doc.description, params: doc.params, serverText: doc.serverText };
}

/** int8 with one scale per vector: cosine only needs the direction, and 10,000 × 100 dims fit in 1 MB. */
export function quantize(vector: Float32Array): Int8Array {
  let maxAbs = 0;
  for (const x of vector) maxAbs = Math.max(maxAbs, Math.abs(x));
  return Int8Array.from(vector, (x) => (maxAbs > 0 ? Math.round((x / maxAbs) * 127) : 0));
}

export function indexEntry(doc: ToolDocument, vector?: Float32Array): IndexEntry {
  const texts = fieldTexts(doc);
  const tokens = Object.fromEntries(FIELD_NAMES.map((f) => [f, termCounts(texts[f])])) as Record<TextField, Map<string, number>>;
  return { doc, tokens, words: [...new Set(contentWords(embeddingText(doc)))], ...(vector && { vector: quantize(vector) }) };
}

interface IndexHeader {
  generation: string;
  count: number;
  dimensions: number;
  /** Server names (documents refer to them by number) and each server's tags. */
  servers: string[];
  serverTags: string[][];
  averageLengths: Record<TextField, number>;
}

/** Encode entries (any order; they are stored sorted by id so that ids can be binary-searched). */
export function encodeIndex(input: readonly IndexEntry[], dimensions: number, generation: string): Buffer {
  const entries = sortByBytes(input, (e) => e.doc.id);
  const count = entries.length;
  const servers = [...new Set(entries.map((e) => e.doc.server))].sort();
  const serverNumber = new Map(servers.map((s, i) => [s, i]));
  const serverTags = servers.map((s) => entries.find((e) => e.doc.server === s)!.doc.tags);
  const sections: Record<string, SectionArray> = {};
  const strings = (name: string, values: string[]) => {
    const { offsets, bytes } = encodeStrings(values);
    sections[`${name}.offsets`] = offsets;
    sections[`${name}.bytes`] = bytes;
  };
  strings('ids', entries.map((e) => e.doc.id));
  strings('words', entries.map((e) => e.words.join(' ')));
  // Every embedding word once (numbers aside: ids and versions have no neighbours in meaning), for query expansion.
  strings('vocabulary', sortByBytes([...new Set(entries.flatMap((e) => e.words))].filter((w) => !/\d/.test(w)), (w) => w));
  sections.server = Uint32Array.from(entries, (e) => serverNumber.get(e.doc.server)!);
  sections.kind = Uint8Array.from(entries, (e) => (e.doc.kind === 'server' ? 1 : 0));
  const averageLengths = {} as Record<TextField, number>;
  for (const field of FIELD_NAMES) {
    const postings = new Map<string, { docs: number[]; counts: number[] }>();
    const lengths = new Uint32Array(count);
    entries.forEach((e, doc) => {
      for (const [t, n] of e.tokens[field]) {
        lengths[doc]! += n;
        let list = postings.get(t);
        if (!list) postings.set(t, (list = { docs: [], counts: [] }));
        list.docs.push(doc);
        list.counts.push(Math.min(n, 0xffff));
      }
    });
    const terms = sortByBytes([...postings.keys()], (t) => t);
    const offsets = new Uint32Array(terms.length + 1);
    terms.forEach((t, i) => (offsets[i + 1] = offsets[i]! + postings.get(t)!.docs.length));
    const flat = new Uint32Array(offsets[terms.length]!);
    const frequencies = new Uint16Array(offsets[terms.length]!);
    terms.forEach((t, i) => {
      flat.set(postings.get(t)!.docs, offsets[i]!);
      frequencies.set(postings.get(t)!.counts, offsets[i]!);
    });
    strings(`${field}.terms`, terms);
    sections[`${field}.postingOffsets`] = offsets;
    sections[`${field}.postings`] = flat;
    sections[`${field}.frequencies`] = frequencies;
    sections[`${field}.lengths`] = lengths;
    averageLengths[field] = count ? lengths.reduce((s, n) => s + n, 0) / count : 0;
  }
  if (dimensions > 0) {
    const vectors = new Int8Array(count * dimensions);
    const inverseNorms = new Float32Array(count);
    entries.forEach((e, doc) => {
      if (!e.vector || e.vector.length !== dimensions) throw new Error(`document ${e.doc.id} has no ${dimensions}-dimension embedding`);
      vectors.set(e.vector, doc * dimensions);
      let sum = 0;
      for (const q of e.vector) sum += q * q;
      inverseNorms[doc] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    });
    sections.vectors = vectors;
    sections.inverseNorms = inverseNorms;
  }
  // Last, so that opening the file can leave the records (most of its bytes) on disk.
  strings('records', entries.map((e) => JSON.stringify(e.doc)));
  const header: IndexHeader = { generation, count, dimensions, servers, serverTags, averageLengths };
  return writeSections(MAGIC, header, sections);
}

/** One field's inverted index over the file's bytes. */
class FieldIndex implements FieldPostings {
  constructor(
    readonly terms: StringTable,
    private readonly offsets: Uint32Array,
    private readonly flat: Uint32Array,
    private readonly counts: Uint16Array,
    readonly lengths: Uint32Array,
    readonly averageLength: number,
  ) {}

  termIndex(term: string): number {
    return this.terms.indexOf(term);
  }

  postings(term: number): Uint32Array {
    return this.flat.subarray(this.offsets[term], this.offsets[term + 1]);
  }

  frequencies(term: number): Uint16Array {
    return this.counts.subarray(this.offsets[term], this.offsets[term + 1]);
  }
}

/** The saved index as `find` searches it: views over the file's bytes. */
export class CompactIndex {
  readonly header: IndexHeader;
  readonly fields: Record<TextField, FieldIndex>;
  /** Server number of each document, and 1 where the document is a server's own. */
  readonly server: Uint32Array;
  readonly kind: Uint8Array;
  readonly vectors?: Int8Array;
  readonly inverseNorms?: Float32Array;
  private readonly ids: StringTable;
  private readonly recordOffsets: Uint32Array;
  private readonly words: StringTable;
  private readonly vocabularyTable: StringTable;
  private vocabularyCache?: string[];
  private readonly recordCache = new Map<number, ToolDocument>();
  /** Ids decoded so far, both ways: a query turns ~500 document numbers into ids and back. */
  private readonly idCache = new Map<number, string>();
  private readonly docCache = new Map<string, number>();
  private readonly wordsCache = new Map<number, string[]>();

  private constructor(private readonly reader: SectionReader<IndexHeader>) {
    const { header } = reader;
    this.header = header;
    const strings = (name: string) => new StringTable(reader.section(`${name}.offsets`, Uint32Array), reader.section(`${name}.bytes`, Uint8Array));
    this.ids = strings('ids');
    this.recordOffsets = reader.section('records.offsets', Uint32Array);
    this.words = strings('words');
    this.vocabularyTable = strings('vocabulary');
    this.server = reader.section('server', Uint32Array);
    this.kind = reader.section('kind', Uint8Array);
    if (header.dimensions > 0) {
      this.vectors = reader.section('vectors', Int8Array);
      this.inverseNorms = reader.section('inverseNorms', Float32Array);
    }
    this.fields = Object.fromEntries(
      FIELD_NAMES.map((f) => [
        f,
        new FieldIndex(strings(`${f}.terms`), reader.section(`${f}.postingOffsets`, Uint32Array), reader.section(`${f}.postings`, Uint32Array), reader.section(`${f}.frequencies`, Uint16Array), reader.section(`${f}.lengths`, Uint32Array), header.averageLengths[f]),
      ]),
    ) as Record<TextField, FieldIndex>;
  }

  static decode(buf: Buffer): CompactIndex {
    return new CompactIndex(readSections<IndexHeader>(buf, MAGIC));
  }

  /** Open a saved index: one read of everything but the records, which are read as results need them. */
  static open(file: string): CompactIndex {
    const reader = openSections<IndexHeader>(file, MAGIC, ['records.bytes']);
    try {
      const index = new CompactIndex(reader);
      // The descriptor lives as long as the index: servers open one per request and drop it.
      descriptors.register(index, reader.close);
      return index;
    } catch (err) {
      reader.close();
      throw err;
    }
  }

  get count(): number {
    return this.header.count;
  }

  id(doc: number): string {
    let id = this.idCache.get(doc);
    if (id === undefined) {
      id = this.ids.get(doc);
      this.idCache.set(doc, id);
      this.docCache.set(id, doc);
    }
    return id;
  }

  /** Document number of an id, or -1. */
  find(id: string): number {
    return this.docCache.get(id) ?? this.ids.indexOf(id);
  }

  record(doc: number): ToolDocument {
    let record = this.recordCache.get(doc);
    if (!record) {
      record = JSON.parse(this.reader.bytes('records.bytes', this.recordOffsets[doc]!, this.recordOffsets[doc + 1]!).toString('utf8')) as ToolDocument;
      this.recordCache.set(doc, record);
    }
    return record;
  }

  /** The document's embedding words (see IndexEntry.words). */
  embeddingWords(doc: number): string[] {
    let words = this.wordsCache.get(doc);
    if (!words) {
      const joined = this.words.get(doc);
      words = joined ? joined.split(' ') : [];
      this.wordsCache.set(doc, words);
    }
    return words;
  }

  /** Every distinct embedding word of the documents, sorted. */
  vocabulary(): string[] {
    this.vocabularyCache ??= Array.from({ length: this.vocabularyTable.length }, (_, i) => this.vocabularyTable.get(i));
    return this.vocabularyCache;
  }

  /** Every document back as an entry (the incremental update rewrites the index from them). */
  entries(): IndexEntry[] {
    const tokens = Array.from({ length: this.count }, () => Object.fromEntries(FIELD_NAMES.map((f) => [f, new Map<string, number>()])) as Record<TextField, Map<string, number>>);
    for (const field of FIELD_NAMES) {
      const postings = this.fields[field];
      for (let term = 0; term < postings.terms.length; term++) {
        const word = postings.terms.get(term);
        const counts = postings.frequencies(term);
        postings.postings(term).forEach((doc, i) => tokens[doc]![field].set(word, counts[i]!));
      }
    }
    const dims = this.header.dimensions;
    // All records at once: one read instead of one per document.
    const offsets = this.recordOffsets;
    const records = this.reader.bytes('records.bytes', 0, offsets[this.count]!);
    const record = (doc: number) => JSON.parse(records.toString('utf8', offsets[doc], offsets[doc + 1])) as ToolDocument;
    return tokens.map((t, doc) => ({ doc: record(doc), tokens: t, words: this.embeddingWords(doc), ...(this.vectors && { vector: this.vectors.slice(doc * dims, (doc + 1) * dims) }) }));
  }
}
