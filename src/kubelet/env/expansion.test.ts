import { describe, expect, it } from 'vitest';
import { expand, expandCommand, expandSubPathExpr, mappingFor } from './expansion.js';

// Cases from upstream's expansion tests (third_party/forked/golang/expansion/expand_test.go).
const vars = new Map([
  ['VAR_A', 'A'],
  ['VAR_B', 'B'],
  ['VAR_C', 'C'],
  ['VAR_REF', '$(VAR_A)'],
  ['VAR_EMPTY', ''],
]);
const mapping = mappingFor(vars);

describe('expand', () => {
  it.each([
    ['whole string', '$(VAR_A)', 'A'],
    ['repeat', '$(VAR_A)-$(VAR_A)', 'A-A'],
    ['beginning', '$(VAR_A)-1', 'A-1'],
    ['middle', '___$(VAR_B)___', '___B___'],
    ['end', '___$(VAR_C)', '___C'],
    ['compound', '$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['escaped operator', '$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['escape then literal', '$$(VAR_A)$$(VAR_B)', '$(VAR_A)$(VAR_B)'],
    ['backslash is not an escape', '\\$(VAR_A)', '\\A'],
    ['empty value', 'x$(VAR_EMPTY)y', 'xy'],
    ['unknown variable kept', '$(VAR_NOPE)', '$(VAR_NOPE)'],
    ['no recursion', '$(VAR_REF)', '$(VAR_A)'],
    ['incomplete reference', '$(VAR_A', '$(VAR_A'],
    ['lone operator at end', 'foo$', 'foo$'],
    ['operator before other char', '$VAR_A', '$VAR_A'],
    ['double dollar at end', '$$', '$'],
    ['triple dollar', '$$$', '$$'],
    ['empty name', '$()', '$()'],
    ['nested parens', '$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['astral char after operator', '$😀x', '$😀x'],
  ])('%s', (_name, input, want) => {
    expect(expand(input, mapping)).toBe(want);
  });
});

describe('expandCommand', () => {
  it('expands command and args from the environment, leaving absent lists absent', () => {
    const env = [{ key: 'NAME', value: 'world' }];
    expect(expandCommand({ command: ['echo', 'hello $(NAME)'], args: ['$$(NAME)', '$(OTHER)'] }, env)).toEqual({
      command: ['echo', 'hello world'],
      args: ['$(NAME)', '$(OTHER)'],
    });
    expect(expandCommand({}, env)).toEqual({});
  });
});

describe('expandSubPathExpr', () => {
  it('expands and rejects missing or empty variables', () => {
    const env = [{ key: 'POD', value: 'p1' }, { key: 'EMPTY', value: '' }];
    expect(expandSubPathExpr('logs/$(POD)', env)).toBe('logs/p1');
    expect(() => expandSubPathExpr('$(NOPE)/$(EMPTY)', env)).toThrow('missing value for EMPTY, NOPE');
  });
});
