import { describe, expect, it } from 'vitest';
import { ResizeDecoder } from './resize-decoder.js';
import { encodeStatus, exitCodeStatus, internalErrorStatus, successStatus } from './status.js';
import { parseRemoteCommandOptions } from './options.js';

describe('exec status', () => {
  it('is a metav1.Status as json.Marshal writes it', () => {
    expect(encodeStatus(successStatus(), true)?.toString()).toBe('{"metadata":{},"status":"Success"}');
    expect(JSON.parse(encodeStatus(exitCodeStatus(3), true)!.toString())).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(internalErrorStatus('boom')).toMatchObject({ reason: 'InternalError', code: 500, message: 'Internal error occurred: boom' });
  });

  it('is text, and only for failures, before v4', () => {
    expect(encodeStatus(successStatus(), false)).toBeNull();
    expect(encodeStatus(exitCodeStatus(2), false)?.toString()).toBe('command terminated with non-zero exit code: exit status 2');
  });
});

describe('remote command options', () => {
  it('takes kubelet and API names, drops stderr with a tty, needs one stream', () => {
    expect(parseRemoteCommandOptions(new URLSearchParams('input=1&output=1&error=1&tty=1'))).toEqual({ stdin: true, stdout: true, stderr: false, tty: true });
    expect(parseRemoteCommandOptions(new URLSearchParams('stdout=true'))).toEqual({ stdin: false, stdout: true, stderr: false, tty: false });
    expect(parseRemoteCommandOptions(new URLSearchParams('tty=1'))).toEqual({ error: 'you must specify at least 1 of stdin, stdout, stderr' });
  });
});

describe('resize decoder', () => {
  it('reads objects back to back and across chunks', () => {
    const d = new ResizeDecoder();
    expect(d.push('{"Width":80,"Height":24}{"Width":1')).toEqual([{ width: 80, height: 24 }]);
    expect(d.push('00,"Height":50}')).toEqual([{ width: 100, height: 50 }]);
    expect(d.push('{"Width":"x"}{"Width":1,"Height":2}')).toEqual([{ width: 1, height: 2 }]);
  });
});
