import { DurationError, parseDuration } from './durations';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('parseDuration', () => {
  it.each([
    ['PT5S', { days: 0, ms: 5 * SECOND }],
    ['PT1H', { days: 0, ms: HOUR }],
    ['PT3H', { days: 0, ms: 3 * HOUR }],
    ['PT24H', { days: 0, ms: 24 * HOUR }],
    ['P3D', { days: 3, ms: 0 }],
    ['P1DT2H30M', { days: 1, ms: 2 * HOUR + 30 * MINUTE }],
    ['PT0.5S', { days: 0, ms: 500 }],
    ['PT1,25S', { days: 0, ms: 1250 }],
    ['P2W', { days: 14, ms: 0 }],
    ['P1W2D', { days: 9, ms: 0 }],
    ['PT90M', { days: 0, ms: 90 * MINUTE }],
    ['P0DT1M', { days: 0, ms: MINUTE }],
  ])('reads %s', (iso, expected) => {
    expect(parseDuration(iso)).toEqual(expected);
  });

  it.each([
    ['P1M', /years or months/],
    ['P1Y', /years or months/],
    ['P1Y2DT3H', /years or months/],
    ['', /is not an ISO-8601 duration/],
    ['P', /is not an ISO-8601 duration/],
    ['PT', /is not an ISO-8601 duration/],
    ['P1DT', /is not an ISO-8601 duration/],
    ['3 days', /is not an ISO-8601 duration/],
    ['pt1h', /is not an ISO-8601 duration/],
    ['P1Dfoo', /is not an ISO-8601 duration/],
    ['xP1D', /is not an ISO-8601 duration/],
    ['P1D1D', /is not an ISO-8601 duration/],
    ['P-1D', /is not an ISO-8601 duration/],
    ['-P1D', /is not an ISO-8601 duration/],
    ['PT1.5H', /is not an ISO-8601 duration/],
    ['P1.5D', /is not an ISO-8601 duration/],
    ['P0D', /is zero/],
    ['PT0S', /is zero/],
    ['PT0.0001S', /is zero/],
  ])('refuses %j', (iso, message) => {
    expect(() => parseDuration(iso)).toThrow(DurationError);
    expect(() => parseDuration(iso)).toThrow(message);
  });

  it('names the offending text in its message', () => {
    expect(() => parseDuration('3 days')).toThrow('"3 days"');
  });
});
