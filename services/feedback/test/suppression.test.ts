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

  it('hides a lone small cell together with the smallest shown non-zero cell, so subtraction cannot recover it', () => {
    // 15 - 7 - 6 would give back the hidden 2 if 6 stayed visible.
    expect(suppressCounts(15, [7, 2, 6], 5).cells).toEqual([7, null, null]);
    // The partner is the smallest non-zero cell; a zero cell protects nothing.
    expect(suppressCounts(14, [0, 1, 8, 5], 5).cells).toEqual([0, null, 8, null]);
  });

  it('picks the first of equally small partners', () => {
    expect(suppressCounts(13, [6, 6, 1], 5).cells).toEqual([null, 6, null]);
  });

  it('needs no partner when two or more cells are already hidden', () => {
    expect(suppressCounts(14, [2, 2, 10], 5)).toEqual({ responseCount: 14, suppressed: false, cells: [null, null, 10], complete: false });
  });

  it('treats a cell equal to the minimum group size as safe and one below it as small', () => {
    expect(suppressCounts(8, [5, 3], 5).cells).toEqual([null, null]);
    expect(suppressCounts(10, [5, 5], 5).cells).toEqual([5, 5]);
  });

  it('handles results without cells (free text)', () => {
    expect(suppressCounts(6, [], 5)).toEqual({ responseCount: 6, suppressed: false, cells: [], complete: true });
    expect(suppressCounts(2, [], 3).responseCount).toBeNull();
  });

  it('shows free text only from the minimum group size on', () => {
    expect(textAnswersVisible(4, 5)).toBe(false);
    expect(textAnswersVisible(5, 5)).toBe(true);
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

  it('refuses production without a secret, and a short secret anywhere', () => {
    expect(() => checkParticipationSecret({ NODE_ENV: 'production' })).toThrow(/FEEDBACK_PARTICIPATION_SECRET/);
    expect(() => checkParticipationSecret({ FEEDBACK_PARTICIPATION_SECRET: 'short' })).toThrow(/at least 16/);
    expect(() => checkParticipationSecret({})).not.toThrow();
    expect(DEV_PARTICIPATION_SECRET.length).toBeGreaterThanOrEqual(16);
  });
});
