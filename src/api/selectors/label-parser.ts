// The string syntax of label selectors (`?labelSelector=`), lexed and parsed as apimachinery's
// labels.Parse does, with its error messages.
import { goQuote, invalidValue } from './errors.js';
import { compareStrings, validated, type Operator, type Requirement } from './requirement.js';
import { isQualifiedName } from '../validation/names.js';

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const TOKENS: Record<string, Tok> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};

interface Item {
  tok: Tok;
  lit: string;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of special characters that still forms a known operator.
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        const t = TOKENS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos]!) && !isSpace(s[pos]!)) buf += s[pos++];
    const t = TOKENS[buf];
    items.push({ tok: t ?? 'id', lit: buf });
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In a values context the words `in` and `notin` are plain identifiers. */
  private view(i: Item, ctx: Context): Item {
    return ctx === 'values' && (i.tok === 'in' || i.tok === 'notin') ? { tok: 'id', lit: i.lit } : i;
  }
  peek(ctx: Context): Item {
    return this.view(this.items[this.pos]!, ctx);
  }
  next(ctx: Context): Item {
    return this.view(this.items[this.pos++]!, ctx);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek('values');
      if (tok === 'eos') return reqs;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next('values');
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek('values');
      if (following.tok !== 'id' && following.tok !== '!') throw new Error(`found '${following.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    try {
      return this.requirementInner();
    } catch (e) {
      throw new Error(`unable to parse requirement: ${(e as Error).message}`);
    }
  }

  private requirementInner(): Requirement {
    let first = this.next('values');
    let negated = false;
    if (first.tok === '!') {
      negated = true;
      first = this.next('values');
    }
    if (first.tok !== 'id') throw new Error(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(invalidValue('<nil>', goQuote(key), keyErrs.join('; ')));
    const la = this.peek('values').tok;
    if (negated || la === 'eos' || la === ',') {
      // `!k` or a bare `k`; anything else after `!k` is reported by the caller.
      return validated(key, negated ? '!' : 'exists', []);
    }
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    return validated(key, op, [...new Set(values)].sort(compareStrings));
  }

  private operator(): Operator {
    const { tok, lit } = this.next('keyAndOperator');
    switch (tok) {
      case 'in': return 'in';
      case 'notin': return 'notin';
      case '=': return '=';
      case '==': return '==';
      case '!=': return '!=';
      case '>': return 'gt';
      case '<': return 'lt';
      default:
        throw new Error(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private valueSet(): string[] {
    const open = this.next('values');
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek('values');
    if (tok === ')') {
      this.next('values');
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    if (this.next('values').tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  /** A possibly empty, comma-separated list of possibly empty values, up to (not including) ')'. */
  private identifierList(): string[] {
    const out: string[] = [];
    for (;;) {
      const { tok, lit } = this.next('values');
      if (tok === 'id') {
        out.push(lit);
        const after = this.peek('values');
        if (after.tok === ',') continue;
        if (after.tok === ')') return out;
        throw new Error(`found '${after.lit}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        if (out.length === 0) out.push('');
        const after = this.peek('values').tok;
        if (after === ')') {
          out.push('');
          return out;
        }
        if (after === ',') out.push('');
        continue;
      }
      throw new Error(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const la = this.peek('values').tok;
    if (la === 'eos' || la === ',') return [''];
    const { tok, lit } = this.next('values');
    if (tok === 'id') return [lit];
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** The requirements of a selector string, unsorted; throws an Error with upstream's message. */
export function parseRequirements(selector: string): Requirement[] {
  return new Parser(lex(selector)).parse();
}
