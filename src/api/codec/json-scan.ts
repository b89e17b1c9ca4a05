// A JSON parser that does what JSON.parse cannot: it reports every duplicate key with its path,
// and fails with the exact text of Go's encoding/json scanner (`invalid character 'x' looking
// for beginning of value`, `unexpected end of JSON input`). It is the slow path of decodeJson,
// used only when a body is malformed or has duplicate keys.
import type { PathSegment } from './duplicates.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const EOF_MESSAGE = 'unexpected end of JSON input';

/** Go's quoteChar: how the scanner shows the offending character. */
export function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  const c = ch.charCodeAt(0);
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c < 0x80) return `'${ch}'`;
  // Go sees the first UTF-8 byte and prints it as a Latin-1 rune.
  const b = Buffer.from(String.fromCodePoint(ch.codePointAt(0)!), 'utf8')[0]!;
  return b >= 0xa0 && b !== 0xad ? `'${String.fromCharCode(b)}'` : `'\\u00${b.toString(16)}'`;
}

const WS = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

export interface ScanResult {
  value: unknown;
  duplicates: PathSegment[][];
}

/** Parses `text` as Go would, collecting duplicate keys; throws JsonSyntaxError. */
export function scanJson(text: string): ScanResult {
  return new Scanner(text).run();
}

class Scanner {
  private i = 0;
  private readonly path: PathSegment[] = [];
  private readonly duplicates: PathSegment[][] = [];

  constructor(private readonly s: string) {}

  run(): ScanResult {
    this.ws();
    const value = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('after top-level value');
    return { value, duplicates: this.duplicates };
  }

  private fail(context: string): never {
    if (this.i >= this.s.length) throw new JsonSyntaxError(EOF_MESSAGE, this.s.length);
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i]!)} ${context}`, this.i);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length && WS(s.charCodeAt(this.i))) this.i++;
  }

  private value(): unknown {
    const c = this.s.charCodeAt(this.i);
    if (c === 123) return this.object();
    if (c === 91) return this.array();
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (c === 116) return this.literal('true', true);
    if (c === 102) return this.literal('false', false);
    if (c === 110) return this.literal('null', null);
    return this.fail('looking for beginning of value');
  }

  /** Steps into an object or array; true when it closes at once (`{}`, `[]`). */
  private enter(close: number): boolean {
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) !== close) return false;
    this.i++;
    return true;
  }

  /** After a member or element: true at ',' (another follows), false at `close`; anything else fails with `context`. */
  private another(close: number, context: string): boolean {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 44) {
      this.i++;
      this.ws();
      return true;
    }
    if (c !== close) this.fail(context);
    this.i++;
    return false;
  }

  private object(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    if (this.enter(125)) return obj;
    do {
      if (this.s.charCodeAt(this.i) !== 34) this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail('after object key');
      this.i++;
      this.ws();
      this.path.push(key);
      const v = this.value();
      if (Object.hasOwn(obj, key)) this.duplicates.push([...this.path]);
      this.path.pop();
      if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
    } while (this.another(125, 'after object key:value pair'));
    return obj;
  }

  private array(): unknown[] {
    const arr: unknown[] = [];
    if (this.enter(93)) return arr;
    do {
      this.path.push(arr.length);
      arr.push(this.value());
      this.path.pop();
    } while (this.another(93, 'after array element'));
    return arr;
  }

  private string(): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.fail('');
      }
      const c = s.charCodeAt(i);
      if (c === 34) {
        out += s.slice(start, i);
        this.i = i + 1;
        return out;
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('in string literal');
      }
      if (c !== 92) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      const e = s[i + 1];
      this.i = i + 1;
      if (e === undefined) this.fail('');
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          this.i = i + k;
          if (!/[0-9a-fA-F]/.test(s[i + k] ?? '')) this.fail('in \\u hexadecimal character escape');
        }
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        i += 6;
      } else if (Object.hasOwn(simple, e)) {
        out += simple[e];
        i += 2;
      } else this.fail('in string escape code');
      start = i;
    }
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    const digit = (): boolean => {
      const c = s.charCodeAt(this.i);
      return c >= 48 && c <= 57;
    };
    if (s.charCodeAt(this.i) === 45) {
      this.i++;
      if (!digit()) this.fail('in numeric literal');
    }
    if (s.charCodeAt(this.i) === 48) this.i++;
    else while (digit()) this.i++;
    if (s.charCodeAt(this.i) === 46) {
      this.i++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    const e = s.charCodeAt(this.i);
    if (e === 101 || e === 69) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === 43 || sign === 45) this.i++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.i++;
    }
    return Number(s.slice(start, this.i));
  }

  private literal<T>(word: string, value: T): T {
    for (let k = 1; k < word.length; k++) {
      this.i++;
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    this.i++;
    return value;
  }
}
