import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, TransformCallback } from 'node:stream';
import * as iconv from 'iconv-lite';

const LF = 0x0a;
const REPLACEMENT = '\uFFFD';

/** What `--encoding` accepts besides every name iconv-lite knows. */
export const ENCODING_EXAMPLES = 'utf8, utf16le, utf16be, latin1, windows-1252';

/** How every encoding message points to the option. */
export const ENCODING_OPTION = `--encoding (${ENCODING_EXAMPLES}, ...)`;

/** How the file's bytes were read, for the report. */
export type DetectedEncoding =
  | { name: string; by: 'bom' | 'option' | 'content' }
  | { name: 'windows-1252'; by: 'fallback'; firstLine: number };

/** Why the bytes can't be read as text: the line it happened on and what to do. */
export class TextDecodingError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** `utf8`, `UTF-8` and `utf-8` are one; iconv-lite names the rest. */
function canonicalName(encoding: string): string {
  const name = encoding.trim().toLowerCase();
  return name === 'utf-8' ? 'utf8' : name;
}

/** @throws Error naming the choices when iconv-lite does not know the encoding. */
export function checkEncodingOption(encoding: string): string {
  const name = canonicalName(encoding);
  if (!iconv.encodingExists(name)) {
    throw new Error(`unknown --encoding "${encoding}"; use one of ${ENCODING_EXAMPLES}, ...`);
  }
  return name;
}

const enum Mode {
  /** Only ASCII so far: UTF-8 and Windows-1252 read it alike, so nothing is decided yet. */
  Undecided,
  /** UTF-8 (a BOM, the option, or valid multi-byte text): passed on as is, checked. */
  Utf8,
  /** Anything else: decoded by iconv-lite and passed on as UTF-8. */
  Decoded,
}

/**
 * Turns a file's bytes into UTF-8 bytes, streaming, so the CSV structure and parser downstream
 * only ever see UTF-8. A BOM (UTF-8, UTF-16 LE/BE) or `encoding` decides; without them the file
 * is UTF-8 as long as its bytes are, and Windows-1252 (Excel's "CSV" on Western Windows) from its
 * first byte when the first non-ASCII text is not UTF-8, which `detected` reports with that line.
 * Bytes that have no character in the chosen encoding fail with their line: a silent U+FFFD
 * would lose the operator's text in the database.
 */
export class TextDecoding extends Transform {
  private mode = Mode.Undecided;
  private decoder: ReturnType<typeof iconv.getDecoder> | null = null;
  /** Start of a UTF-8 sequence split across chunks, held for the next chunk. */
  private carry: Buffer | null = null;
  /** Bytes held until the BOM can be told (the first chunk may be shorter than a BOM). */
  private head: Buffer | null = Buffer.alloc(0);
  /** Line of the next output byte (1-based). */
  private line = 1;
  /** Bytes of the file read so far: the progress of the import. */
  bytesRead = 0;
  detected: DetectedEncoding = { name: 'utf8', by: 'content' };

  constructor(private readonly encoding?: string) {
    super();
  }

  override _transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback): void {
    this.bytesRead += chunk.length;
    try {
      if (this.head) {
        this.head = Buffer.concat([this.head, chunk]);
        if (this.head.length < 3) return done();
        chunk = this.start(this.head);
        this.head = null;
      }
      this.process(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.head) this.process(this.start(this.head));
      if (this.carry) this.failUtf8(this.carry);
      if (this.decoder) this.emitDecoded(this.decoder.end() ?? '');
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  /** Chooses the mode from the option or the BOM; returns the bytes after the BOM. */
  private start(bytes: Buffer): Buffer {
    const bom = readBom(bytes);
    if (this.encoding) {
      this.detected = { name: this.encoding, by: 'option' };
      // A BOM of the chosen encoding is not text; iconv-lite drops it for the UTF-16s.
      if (this.encoding === 'utf8') {
        this.mode = Mode.Utf8;
        return bom?.name === 'utf8' ? bytes.subarray(3) : bytes;
      }
      this.useDecoder(this.encoding);
      return bytes;
    }
    if (bom) {
      this.detected = { name: bom.name, by: 'bom' };
      if (bom.name === 'utf8') {
        this.mode = Mode.Utf8;
      } else {
        this.useDecoder(bom.name);
      }
      return bytes.subarray(bom.length);
    }
    return bytes;
  }

  private useDecoder(name: string): void {
    this.mode = Mode.Decoded;
    this.decoder = iconv.getDecoder(name);
  }

  private process(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.mode === Mode.Undecided) {
      if (isAscii(chunk)) return this.emit8(chunk);
      const firstBad = firstNonUtf8Line(chunk);
      if (firstBad === null) {
        this.mode = Mode.Utf8;
        this.detected = { name: 'utf8', by: 'content' };
      } else {
        this.detected = { name: 'windows-1252', by: 'fallback', firstLine: this.line + firstBad };
        this.useDecoder('windows-1252');
      }
    }
    if (this.mode === Mode.Utf8) return this.passUtf8(chunk);
    this.emitDecoded(this.decoder!.write(chunk));
  }

  /** Passes whole UTF-8 sequences on, holding a sequence cut by the chunk's end. */
  private passUtf8(chunk: Buffer): void {
    if (this.carry) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const end = completeUtf8Length(chunk);
    if (end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
    const whole = chunk.subarray(0, end);
    if (!isUtf8(whole)) this.failUtf8(whole);
    this.emit8(whole);
  }

  private failUtf8(bytes: Buffer): never {
    const line = this.line + (firstNonUtf8Line(bytes) ?? countLines(bytes));
    const why =
      this.detected.by === 'content'
        ? 'is not UTF-8 although the lines before it are'
        : `is not ${this.detected.by === 'bom' ? 'UTF-8 as the BOM says' : 'UTF-8'}`;
    throw new TextDecodingError(
      line,
      `this line ${why}; choose the file's encoding with ${ENCODING_OPTION}`,
    );
  }

  private emitDecoded(text: string): void {
    if (text.length === 0) return;
    const replaced = text.indexOf(REPLACEMENT);
    if (replaced !== -1) {
      const line = this.line + countLines(Buffer.from(text.slice(0, replaced)));
      throw new TextDecodingError(
        line,
        `this line has a byte that is no character in ${this.detected.name}; choose the ` +
          `file's encoding with ${ENCODING_OPTION}`,
      );
    }
    this.emit8(Buffer.from(text, 'utf8'));
  }

  private emit8(bytes: Buffer): void {
    this.line += countLines(bytes);
    this.push(bytes);
  }
}

function readBom(bytes: Buffer): { name: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { name: 'utf8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { name: 'utf16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { name: 'utf16be', length: 2 };
  return null;
}

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/** Lines (0 = the first) before the first line that is not UTF-8, or null when all are. */
function firstNonUtf8Line(bytes: Buffer): number | null {
  const end = completeUtf8Length(bytes);
  let line = 0;
  let start = 0;
  while (start < bytes.length) {
    let stop = bytes.indexOf(LF, start);
    if (stop === -1) stop = end;
    if (stop > start && !isUtf8(bytes.subarray(start, stop))) return line;
    if (stop >= end) return null;
    start = stop + 1;
    line++;
  }
  return null;
}

/** Length of the chunk without a multi-byte sequence cut off at its end. */
function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    if (byte < 0x80) return bytes.length;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
