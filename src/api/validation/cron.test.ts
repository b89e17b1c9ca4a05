import { describe, expect, it } from 'vitest';
import { parseCronSchedule, parseGoDuration } from './cron.js';

describe('parseCronSchedule', () => {
  it.each([
    '*/5 * * * *',
    '0 0 * * 0',
    '30 6 1-15/2 jan,mar MON-FRI',
    '0 0 ? * *',
    '@hourly',
    '@daily',
    '@midnight',
    '@weekly',
    '@monthly',
    '@yearly',
    '@annually',
    '@every 1h30m',
    'TZ=UTC 0 * * * *',
    'CRON_TZ=Europe/Paris 0 * * * *',
  ])('accepts %s', (spec) => {
    expect(parseCronSchedule(spec).error).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['bad', 'expected exactly 5 fields, found 1: [bad]'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['@often', 'unrecognized descriptor: @often'],
    ['@every soon', 'failed to parse duration @every soon: time: invalid duration "soon"'],
    ['TZ=Nowhere/City 0 * * * *', 'provided bad location Nowhere/City: unknown time zone Nowhere/City'],
  ])('rejects %j', (spec, msg) => {
    expect(parseCronSchedule(spec).error).toBe(msg);
  });

  it('expands fields', () => {
    const s = parseCronSchedule('*/15 9-10 * * sun')!.schedule!;
    expect(s.minutes).toEqual([0, 15, 30, 45]);
    expect(s.hours).toEqual([9, 10]);
    expect(s.daysOfWeek).toEqual([0]);
    expect(s.domStar).toBe(true);
    expect(s.dowStar).toBe(false);
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5400000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
  });
});
