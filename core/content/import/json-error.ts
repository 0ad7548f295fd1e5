/**
 * Finds where and why a JSON text is malformed, as "line L, column C: why".
 * Node's own JSON.parse messages differ between versions and often give no
 * position, so this walks the text with a small strict JSON grammar. Only
 * called after JSON.parse has failed. Pure.
 */

class JsonSyntax extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

export function describeJsonError(text: string): string {
  try {
    new JsonWalker(text).document();
    return "not valid JSON";
  } catch (err) {
    if (!(err instanceof JsonSyntax)) throw err;
    const before = text.slice(0, err.pos);
    const line = before.split("\n").length;
    const column = err.pos - before.lastIndexOf("\n");
    return `line ${line}, column ${column}: ${err.message}`;
  }
}

class JsonWalker {
  private i = 0;

  constructor(private readonly s: string) {}

  document(): void {
    this.value(0);
    this.ws();
    if (this.i < this.s.length) throw this.error(`unexpected ${this.show()} after the end of the JSON value`);
  }

  private error(message: string): JsonSyntax {
    return new JsonSyntax(this.i, message);
  }

  private show(): string {
    const c = this.s[this.i];
    return c === undefined ? "end of file" : `character ${JSON.stringify(c)}`;
  }

  private ws(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i] as string)) this.i++;
  }

  private value(depth: number): void {
    if (depth > 500) throw this.error("nested too deeply");
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) throw this.error("the file ends where a value was expected");
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    if (c === "'") throw this.error("strings must use double quotes, not single quotes");
    throw this.error(`unexpected ${this.show()} where a value was expected`);
  }

  private object(depth: number): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] === "}") throw this.error('a comma before "}" leaves a property missing (remove the trailing comma)');
      if (this.s[this.i] !== '"') throw this.error(`expected a property name in double quotes, found ${this.show()}`);
      this.string();
      this.ws();
      if (this.s[this.i] !== ":") throw this.error(`expected ":" after the property name, found ${this.show()}`);
      this.i++;
      this.value(depth + 1);
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "}") {
        this.i++;
        return;
      }
      throw this.error(`expected "," or "}" after a property value, found ${this.show()}`);
    }
  }

  private array(depth: number): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] === "]") throw this.error('a comma before "]" leaves an item missing (remove the trailing comma)');
      this.value(depth + 1);
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "]") {
        this.i++;
        return;
      }
      throw this.error(`expected "," or "]" after an array item, found ${this.show()}`);
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw this.error("the file ends inside a string (a closing double quote is missing)");
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < " ") throw this.error("a line break or control character inside a string (write it as \\n or \\t)");
      if (c === "\\") {
        const e = this.s[this.i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) throw this.error("\\u must be followed by four hex digits");
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw this.error(`unknown escape \\${e ?? ""} inside a string`);
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  private number(): void {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) throw this.error(`malformed number at ${this.show()}`);
    this.i += m[0].length;
  }
}
