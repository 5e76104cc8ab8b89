import { describe, expect, it } from 'vitest';
import { createI18n } from '../../shared/i18n/i18n';
import { de } from '../../shared/i18n/locales/de';
import { en } from '../../shared/i18n/locales/en';
import { forecastSentence } from '../../renderer/src/logic/forecast-message';
import { createFormatters } from '../../renderer/src/logic/formatters';
import { meter, NOW } from './fixtures';

const format = createFormatters('en-GB');

function forecastMeter(
  exhaustsAt: string,
  resetsAt: string | undefined,
  overrides: { beforeReset?: boolean | null; confidence?: 'low' | 'medium' | 'high' } = {},
) {
  return meter({
    ...(resetsAt ? { resetsAt } : {}),
    forecast: {
      state: 'ok',
      exhaustsAt,
      beforeReset:
        overrides.beforeReset === undefined
          ? resetsAt
            ? Date.parse(exhaustsAt) < Date.parse(resetsAt)
            : null
          : overrides.beforeReset,
      burnPerDay: 1000,
      confidence: overrides.confidence ?? 'high',
      basis: null,
    },
  });
}

describe('forecastSentence', () => {
  it('says when it runs out and how long before the reset', () => {
    const sentence = forecastSentence(forecastMeter('2026-12-03T10:00:00Z', '2026-12-08T10:00:00Z'), format, NOW);
    expect(sentence).toMatchObject({
      key: 'forecast.runsOutBeforeReset',
      values: { date: '3 Dec', count: 5 },
      rough: false,
    });
  });

  it('counts hours when it is less than a day before the reset', () => {
    const sentence = forecastSentence(forecastMeter('2026-12-03T10:00:00Z', '2026-12-03T16:30:00Z'), format, NOW);
    expect(sentence).toMatchObject({ key: 'forecast.runsOutHoursBeforeReset', values: { count: 6 } });
  });

  it('says it lasts when the reset comes first, and has no reset to compare with otherwise', () => {
    expect(forecastSentence(forecastMeter('2026-12-20T00:00:00Z', '2026-12-01T00:00:00Z'), format, NOW)?.key).toBe(
      'forecast.lastsPastReset',
    );
    expect(forecastSentence(forecastMeter('2026-12-20T00:00:00Z', undefined), format, NOW)).toMatchObject({
      key: 'forecast.runsOut',
      values: { date: '20 Dec' },
    });
  });

  it('marks a low-confidence projection as rough', () => {
    expect(
      forecastSentence(
        forecastMeter('2026-12-03T10:00:00Z', '2026-12-08T10:00:00Z', { confidence: 'low' }),
        format,
        NOW,
      )?.rough,
    ).toBe(true);
  });

  it('has words for the other states and nothing for unlimited plans', () => {
    const state = (value: 'not_enough_data' | 'not_burning' | 'exhausted' | 'unlimited' | 'no_limit') =>
      forecastSentence(
        meter({
          forecast: {
            state: value,
            exhaustsAt: null,
            beforeReset: null,
            burnPerDay: null,
            confidence: null,
            basis: null,
          },
        }),
        format,
        NOW,
      )?.key ?? null;
    expect(state('not_enough_data')).toBe('forecast.notEnoughData');
    expect(state('not_burning')).toBe('forecast.notBurning');
    expect(state('exhausted')).toBe('forecast.exhausted');
    expect(state('unlimited')).toBeNull();
    expect(state('no_limit')).toBeNull();
    expect(forecastSentence(meter(), format, NOW)).toBeNull();
  });
});

describe('the catalogs', () => {
  const en18n = createI18n('en', { en });
  const de18n = createI18n('de', { de });

  it('say the forecast sentence with proper plurals in English and German', () => {
    expect(en18n.t('forecast.runsOutBeforeReset', { date: '3 Dec', count: 5 })).toBe(
      'At this rate runs out on 3 Dec, 5 days before reset',
    );
    expect(en18n.t('forecast.runsOutBeforeReset', { date: '3 Dec', count: 1 })).toBe(
      'At this rate runs out on 3 Dec, 1 day before reset',
    );
    expect(de18n.t('forecast.runsOutBeforeReset', { date: '3. Dez.', count: 5 })).toBe(
      'Bei diesem Verbrauch am 3. Dez. aufgebraucht, 5 Tage vor dem Zurücksetzen',
    );
    expect(de18n.t('forecast.runsOutBeforeReset', { date: '3. Dez.', count: 1 })).toBe(
      'Bei diesem Verbrauch am 3. Dez. aufgebraucht, 1 Tag vor dem Zurücksetzen',
    );
    expect(de18n.t('header.attention', { count: 2 })).toBe('2 Konten brauchen Aufmerksamkeit');
  });

  type Tree = { [key: string]: string | Tree };
  const leaves = (tree: Tree, prefix = ''): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [key, value] of Object.entries(tree)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof value === 'string') out.set(path, value);
      else for (const [inner, text] of leaves(value, path)) out.set(inner, text);
    }
    return out;
  };
  const english = leaves(en);
  const german = leaves(de);

  it('have the same keys, none empty', () => {
    expect([...german.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of [...english, ...german]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of english) {
      const other = german.get(key) ?? '';
      // A plural's "one" form may say the number in words ("Ein Geheimnis").
      const optional = key.endsWith('_one') ? ['count'] : [];
      expect(
        placeholders(other).filter((name) => !optional.includes(name ?? '')),
        key,
      ).toEqual(placeholders(text).filter((name) => !optional.includes(name ?? '')));
    }
  });

  it('have both plural forms wherever one is given', () => {
    for (const key of english.keys()) {
      if (key.endsWith('_one')) expect(english.has(key.replace(/_one$/, '_other')), key).toBe(true);
      if (key.endsWith('_other')) expect(english.has(key.replace(/_other$/, '_one')), key).toBe(true);
    }
  });
});
