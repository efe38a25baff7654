import { describe, expect, it } from 'vitest';
import { datePrefix, parseDate } from '../../src/importer/dates.js';

describe('parseDate', () => {
  it.each([
    ['2024-05-20', '2024-05-20T00:00:00.000Z'],
    ['2024-5-3', '2024-05-03T00:00:00.000Z'],
    ['2024-05-20T10:00:00Z', '2024-05-20T10:00:00.000Z'],
    ['2024-05-20T10:00:00+02:00', '2024-05-20T08:00:00.000Z'],
    ['2024-05-20 10:00', '2024-05-20T10:00:00.000Z'],
    ['2013-11-22 5:00:00 +0000', '2013-11-22T05:00:00.000Z'],
    ['2024-05-20 10:00:00 -0700', '2024-05-20T17:00:00.000Z'],
    ['2024-05-20T10:00:00.123456Z', '2024-05-20T10:00:00.123Z'],
    ['May 20, 2024', '2024-05-20T00:00:00.000Z'],
    ['Mon, 20 May 2024 10:00:00 GMT', '2024-05-20T10:00:00.000Z'],
    // As JavaScript's Date reads them (Next.js, Astro and Docusaurus blogs), in UTC.
    ['2024/12/05', '2024-12-05T00:00:00.000Z'],
    ['2024/1/5 10:30', '2024-01-05T10:30:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseDate(text)?.toISOString()).toBe(iso);
  });

  it('takes Date objects and Unix timestamps', () => {
    expect(parseDate(new Date('2024-01-01T00:00:00Z'))?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(parseDate(1_700_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it.each(['2024-13-45', '2024-02-30', '2024-05-20 25:00', 'someday', '', '20/05/2024', '2024/02/30', '2024-05/20', true, null, {}])(
    'refuses %j',
    (value) => {
      expect(parseDate(value)).toBeUndefined();
    },
  );
});

describe('datePrefix', () => {
  it('splits a Jekyll file name', () => {
    expect(datePrefix('2024-05-20-my-post')).toEqual({ date: new Date('2024-05-20T00:00:00Z'), rest: 'my-post' });
    expect(datePrefix('my-post')).toBeUndefined();
    expect(datePrefix('2024-99-99-x')).toBeUndefined();
  });
});
