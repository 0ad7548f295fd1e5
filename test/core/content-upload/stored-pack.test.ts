import { describe, expect, it } from "vitest";
import { checkUpload } from "../../../core/content/upload/check-upload.js";
import { readStoredPack, storedPackText } from "../../../core/content/upload/stored-pack.js";

describe("stored packs", () => {
  it("read back exactly as checked, and anything else reads as no pack rather than throwing", () => {
    const check = checkUpload({ fileName: "ops.csv", bytes: new TextEncoder().encode("question,options,answer\nQ1?,x|y,a\nQ2?,x|y,b\n"), builtIn: [], others: [] });
    if (!check.ok) throw new Error(check.message);
    expect(readStoredPack(storedPackText(check.pack))).toEqual(check.pack);
    for (const bad of ["", "not json", "null", "[]", '{"manifest":{}}', '{"manifest":null,"lessons":[]}', '{"manifest":{},"lessons":[{"fileName":1}]}', "id: ops\nlessons: []\n"]) {
      expect(readStoredPack(bad), bad).toBeNull();
    }
  });
});
