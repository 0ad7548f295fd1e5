/**
 * Decides what kind of file is being imported and runs its converter: JSON
 * holding a course (`course.micro_concepts`) → course JSON; delimited text
 * whose first row names a question column → question table. Anything else
 * gets one message saying what each shape needs. Pure.
 */
import { findCourse, importCourseData } from "./course-json.js";
import { fail, type ImportOptions, type ImportResult } from "./imported-pack.js";
import { describeJsonError } from "./json-error.js";
import { importQuestionTable } from "./question-table.js";
import { TABLE_COLUMNS_HELP, sniffDelimiter } from "./table-columns.js";

export const NEITHER_MESSAGE = `not a course JSON (no "course.micro_concepts") nor a question table (first row needs columns ${TABLE_COLUMNS_HELP})`;

export function importContent(text: string, opts: ImportOptions): ImportResult {
  const file = opts.fileName;
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (src.trim() === "") return fail(`${file}: the file is empty; expected a course JSON or a question table (first row: ${TABLE_COLUMNS_HELP})`);

  const first = src.trimStart()[0];
  if (first === "{" || first === "[" || /\.json$/i.test(file)) {
    let data: unknown;
    try {
      data = JSON.parse(src);
    } catch {
      return fail(`${file}: not valid JSON: ${describeJsonError(src)}`);
    }
    if (!findCourse(data)) return fail(`${file}: ${NEITHER_MESSAGE}`);
    return importCourseData(data, opts);
  }

  if (sniffDelimiter(src, file) || /\.(csv|tsv)$/i.test(file)) return importQuestionTable(src, opts);
  return fail(`${file}: ${NEITHER_MESSAGE}`);
}
