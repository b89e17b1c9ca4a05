import { describe, expect, it } from 'vitest';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo, runFilter } from '../../testing/wrappers.js';
import { nodeName } from './index.js';

describe('NodeName', () => {
  const table = [
    { name: 'no node name', pod: makePod('p'), want: { code: Code.Success, reasons: [] } },
    { name: 'matching name', pod: makePod('p', { nodeName: 'n1' }), want: { code: Code.Success, reasons: [] } },
    { name: 'other name', pod: makePod('p', { nodeName: 'n2' }), want: { code: Code.UnschedulableAndUnresolvable, reasons: ["node(s) didn't match the requested node name"] } },
  ];
  for (const t of table) it(t.name, () => expect(runFilter(nodeName, t.pod, nodeInfo(makeNode('n1')))).toEqual(t.want));
});
