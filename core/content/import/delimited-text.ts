/**
 * A small RFC 4180 reader for CSV and TSV text (no library is installed for
 * it). Fields are split on the delimiter; a field that starts with a double
 * quote may hold delimiters, newlines and doubled quotes (`""` is one `"`).
 * Records end at LF, CRLF or a lone CR; newlines inside quoted fields come
 * out as "\n". A leading byte-order mark is dropped and a final newline does
 * not make an empty record. Spaces before an opening or after a closing
 * quote are tolerated, as hand-edited files often have them. A quote inside
 * an unquoted field is kept as it is (as spreadsheets do). Pure.
 */

export interface DelimitedRecord {
  cells: string[];
  /** 1-based line in the file where the record starts. */
  line: number;
}

export type DelimitedResult = { ok: true; records: DelimitedRecord[] } | { ok: false; error: string };

export function parseDelimited(text: string, delimiter: "," | "\t" | ";"): DelimitedResult {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: DelimitedRecord[] = [];
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  /** Whether the current record has a quoted field (so `""` alone is still a record). */
  let sawQuote = false;
  let i = 0;
  const n = src.length;

  const endRecord = () => {
    cells.push(field);
    records.push({ cells, line: recordLine });
    cells = [];
    field = "";
    sawQuote = false;
  };
  /** Consumes a line break at i (CRLF, LF or CR); returns false if there is none. */
  const lineBreak = (): boolean => {
    const c = src[i];
    if (c === "\r") {
      i += src[i + 1] === "\n" ? 2 : 1;
    } else if (c === "\n") {
      i += 1;
    } else {
      return false;
    }
    line += 1;
    return true;
  };

  while (i < n) {
    // At the start of a field.
    let j = i;
    while (src[j] === " ") j++;
    if (src[j] === '"') {
      const quoteLine = line;
      sawQuote = true;
      i = j + 1;
      let closed = false;
      while (i < n) {
        const c = src[i];
        if (c === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          closed = true;
          break;
        }
        if (c === "\r" || c === "\n") {
          lineBreak();
          field += "\n";
          continue;
        }
        field += c;
        i += 1;
      }
      if (!closed) {
        return { ok: false, error: `line ${quoteLine}: a quoted field starts here but its closing double quote is missing` };
      }
      while (src[i] === " ") i++;
      if (i >= n) break;
      if (src[i] === delimiter) {
        cells.push(field);
        field = "";
        i += 1;
        continue;
      }
      const before = line;
      if (lineBreak()) {
        endRecord();
        recordLine = line;
        continue;
      }
      return {
        ok: false,
        error: `line ${before}: unexpected text after a closing double quote; inside a quoted field write a quote as two quotes ("")`,
      };
    }
    // Unquoted field: read up to the delimiter or the end of the line.
    while (i < n) {
      const c = src[i];
      if (c === delimiter || c === "\r" || c === "\n") break;
      field += c;
      i += 1;
    }
    if (i >= n) break;
    if (src[i] === delimiter) {
      cells.push(field);
      field = "";
      i += 1;
      continue;
    }
    lineBreak();
    endRecord();
    recordLine = line;
  }
  if (field !== "" || cells.length > 0 || sawQuote) endRecord();
  return { ok: true, records };
}
