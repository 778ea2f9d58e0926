import { suppressCounts, textAnswersVisible } from '../src/suppression';
import { firstDayFrom } from '../src/response-window';
import { checkParticipationSecret, participantHash, DEV_PARTICIPATION_SECRET } from '../src/participant-hash';

describe('suppressCounts', () => {
  it('shows nothing, not even the number of responses, below the minimum group size', () => {
    expect(suppressCounts(4, [3, 1, 0], 5)).toEqual({ responseCount: null, suppressed: true, cells: [null, null, null], complete: false });
    expect(suppressCounts(0, [0, 0], 3)).toEqual({ responseCount: null, suppressed: true, cells: [null, null], complete: false });
  });

  it('shows every cell when none is below the minimum group size (zero counts included)', () => {
    expect(suppressCounts(10, [5, 0, 5], 5)).toEqual({ responseCount: 10, suppressed: false, cells: [5, 0, 5], complete: true });
  });

  it('hides every cell when any is small, so the shown total cannot pin hidden cells (review: 12 over [4, 4, 4])', () => {
    // Hiding only the small cells told that each hidden cell was 1 to 4: 12 over three of them is 4, 4, 4.
    expect(suppressCounts(12, [4, 4, 4], 5)).toEqual({ responseCount: 12, suppressed: false, cells: [null, null, null], complete: false });
  });

  it('hides large cells too when one is small (review: [1, 1, 10] showed 10, pinning the other two at 1)', () => {
    expect(suppressCounts(12, [1, 1, 10], 5)).toEqual({ responseCount: 12, suppressed: false, cells: [null, null, null], complete: false });
    expect(suppressCounts(15, [7, 2, 6], 5).cells).toEqual([null, null, null]);
  });

  it('hides zero cells too when one is small (review: a zero beside hidden cells narrows them down)', () => {
    expect(suppressCounts(14, [0, 1, 8, 5], 5)).toEqual({ responseCount: 14, suppressed: false, cells: [null, null, null, null], complete: false });
    expect(suppressCounts(6, [0, 0, 1, 0, 5], 5).cells).toEqual([null, null, null, null, null]);
  });

  it('shows every cell, zeros included, when none is from 1 to k-1', () => {
    expect(suppressCounts(12, [0, 12, 0], 5)).toEqual({ responseCount: 12, suppressed: false, cells: [0, 12, 0], complete: true });
    expect(suppressCounts(16, [5, 0, 6, 5], 5)).toEqual({ responseCount: 16, suppressed: false, cells: [5, 0, 6, 5], complete: true });
  });

  it('treats a cell equal to the minimum group size as safe and one below it as small', () => {
    expect(suppressCounts(8, [5, 3], 5).cells).toEqual([null, null]);
    expect(suppressCounts(10, [5, 5], 5).cells).toEqual([5, 5]);
    expect(suppressCounts(6, [3, 3], 3).cells).toEqual([3, 3]);
    expect(suppressCounts(5, [2, 3], 3).cells).toEqual([null, null]);
  });

  it('handles results without cells (free text)', () => {
    expect(suppressCounts(6, [], 5)).toEqual({ responseCount: 6, suppressed: false, cells: [], complete: true });
    expect(suppressCounts(2, [], 3).responseCount).toBeNull();
  });

  it('shows free text only from the minimum group size on', () => {
    expect(textAnswersVisible(0, 5)).toBe(false);
    expect(textAnswersVisible(4, 5)).toBe(false);
    expect(textAnswersVisible(5, 5)).toBe(true);
    expect(textAnswersVisible(2, 3)).toBe(false);
  });
});

describe('firstDayFrom', () => {
  it('is the day itself at midnight and the next day otherwise', () => {
    expect(firstDayFrom(new Date('2025-03-01T00:00:00Z'))).toBe('2025-03-01');
    expect(firstDayFrom(new Date('2025-03-01T00:00:00.001Z'))).toBe('2025-03-02');
    expect(firstDayFrom(new Date('2024-12-31T23:00:00Z'))).toBe('2025-01-01');
  });
});

describe('participation secret', () => {
  it('hashes per poll, so one participant has unrelated hashes in two polls', () => {
    const a = participantHash('org.pol_A', 'person-1', 'a-secret-of-enough-length');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(participantHash('org.pol_B', 'person-1', 'a-secret-of-enough-length')).not.toBe(a);
    expect(participantHash('org.pol_A', 'person-1', 'another-secret-of-enough-length')).not.toBe(a);
  });

  it('refuses production on the example secret, any "change-me" placeholder or the development secret, naming the variable', () => {
    const production = (secret: string) => () => checkParticipationSecret({ NODE_ENV: 'production', FEEDBACK_PARTICIPATION_SECRET: secret });
    expect(production('change-me-to-a-long-random-secret')).toThrow(/FEEDBACK_PARTICIPATION_SECRET/);
    expect(production('please-CHANGE-ME-before-going-live')).toThrow(/FEEDBACK_PARTICIPATION_SECRET.*change-me/);
    expect(production(DEV_PARTICIPATION_SECRET)).toThrow(/FEEDBACK_PARTICIPATION_SECRET/);
    expect(production('9f2c7a1e4b8d3f6a0c5e7b9d1f3a5c7e')).not.toThrow();
    // outside production the example still runs (docker-compose.yml for development)
    expect(() => checkParticipationSecret({ FEEDBACK_PARTICIPATION_SECRET: 'change-me-to-a-long-random-secret' })).not.toThrow();
  });

  it('refuses production without a secret, and a short secret anywhere', () => {
    expect(() => checkParticipationSecret({ NODE_ENV: 'production' })).toThrow(/FEEDBACK_PARTICIPATION_SECRET/);
    expect(() => checkParticipationSecret({ FEEDBACK_PARTICIPATION_SECRET: 'short' })).toThrow(/at least 16/);
    expect(() => checkParticipationSecret({})).not.toThrow();
    expect(DEV_PARTICIPATION_SECRET.length).toBeGreaterThanOrEqual(16);
  });
});
