import { Transform, TransformCallback } from 'node:stream';

/** Longest field accepted: a longer one is almost always a quote that was never closed. */
export const MAX_FIELD_BYTES = 64 * 1024;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

const enum State {
  /** At the start of a field: a quote here opens a quoted field. */
  FieldStart,
  Unquoted,
  Quoted,
  /**
   * A quote inside a quoted field: the field closes unless another quote follows; after it only
   * blanks, the delimiter or the line break may come (fast-csv refuses anything else).
   */
  QuoteInQuoted,
}

/**
 * Passes a CSV byte stream through unchanged while following its RFC 4180 structure (the same
 * rules as fast-csv: a quote opens a field only at its start), so that broken files fail fast
 * and name the physical line: a field over MAX_FIELD_BYTES fails at once instead of being
 * buffered by the parser, and a quote still open at the end of the file names the line it
 * opened on. UTF-8 multi-byte sequences never contain these ASCII bytes, so scanning bytes is
 * exact.
 */
export class CsvStructureGuard extends Transform {
  private state = State.FieldStart;
  private line = 1;
  private fieldBytes = 0;
  private quoteLine = 0;
  /**
   * The physical line each record starts on, in file order: the reader takes one per record it
   * parses, so a record after a quoted line break still names its own line. Holds only the
   * records between this guard and the parser (a chunk's worth).
   */
  readonly recordStarts: number[] = [1];

  constructor(
    private readonly describe: (line: number, problem: string) => Error,
    private readonly delimiter = 0x2c,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted:
          if (byte === LF || byte === this.delimiter) {
            if (byte === LF) this.endRecord();
            this.state = State.FieldStart;
            this.fieldBytes = 0;
            continue;
          }
          if (byte === QUOTE && this.state === State.FieldStart) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
          } else {
            this.state = State.Unquoted;
          }
          break;
        case State.Quoted:
          if (byte === QUOTE) this.state = State.QuoteInQuoted;
          else if (byte === LF) this.line++;
          break;
        case State.QuoteInQuoted:
          if (byte === QUOTE) {
            this.state = State.Quoted;
          } else if (byte === LF || byte === this.delimiter) {
            if (byte === LF) this.endRecord();
            this.state = State.FieldStart;
            this.fieldBytes = 0;
            continue;
          } else if (byte !== SPACE && byte !== TAB && byte !== CR) {
            // Text after a closing quote: almost always a quote opened earlier and never closed,
            // which has swallowed the line breaks up to here. Name both lines.
            done(
              this.describe(
                this.line,
                `text after the closing quote of a field opened on line ${this.quoteLine} ` +
                  '(a quote not closed, or a quote inside a field not doubled as "")',
              ),
            );
            return;
          }
          break;
      }
      if (++this.fieldBytes > MAX_FIELD_BYTES) {
        const where = this.state === State.Quoted ? this.quoteLine : this.line;
        done(
          this.describe(
            where,
            `a field is longer than ${MAX_FIELD_BYTES / 1024} KB` +
              (this.state === State.Quoted ? ' (is a quote not closed?)' : ''),
          ),
        );
        return;
      }
    }
    done(null, chunk);
  }

  private endRecord(): void {
    this.line++;
    this.recordStarts.push(this.line);
  }

  override _flush(done: TransformCallback): void {
    if (this.state === State.Quoted) {
      done(this.describe(this.quoteLine, 'a quoted field is opened here and never closed'));
      return;
    }
    done();
  }
}
