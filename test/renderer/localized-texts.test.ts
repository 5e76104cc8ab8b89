import { describe, expect, it } from 'vitest';
import { PRESETS, type Preset } from '../../main/engine/providers/custom/presets';
import { localizedPreset } from '../../renderer/src/views/settings/field-text';
import { localizedMeters, noteFields, notePart } from '../../shared/i18n/engine-names';
import { en } from '../../shared/i18n/locales/en';
import type { PresetInfo } from '../../shared/ipc';
import { meterSchema } from '../../shared/snapshot';
import { DE, EN, meter } from '../support/builders';

function presetInfo(preset: Preset): PresetInfo {
  return {
    id: preset.id,
    name: preset.name,
    title: preset.title,
    minIntervalMinutes: 5,
    summary: preset.summary,
    docsUrl: preset.docsUrl,
    keysUrl: preset.keysUrl,
    fields: preset.fields,
    secrets: [...preset.secrets],
  };
}

/** A preset's words as the catalog holds them. */
function catalogWords(preset: Preset) {
  return {
    title: preset.title,
    summary: preset.summary,
    fields: Object.fromEntries(
      preset.fields.map((field) => [
        field.key,
        {
          label: field.label,
          ...(field.help === undefined ? {} : { help: field.help }),
          ...(field.choices
            ? { choices: Object.fromEntries(field.choices.map((choice, index) => [String(index), choice.label])) }
            : {}),
        },
      ]),
    ),
    secrets: Object.fromEntries(
      preset.secrets.map((secret) => [
        secret.key,
        { label: secret.label, ...(secret.help === undefined ? {} : { help: secret.help }) },
      ]),
    ),
  };
}

describe('preset words', () => {
  it('are in the English catalog exactly as the presets word them, for every preset', () => {
    expect(Object.keys(en.presets).sort()).toEqual(PRESETS.map((preset) => preset.id).sort());
    for (const preset of PRESETS) {
      expect(JSON.parse(JSON.stringify((en.presets as Record<string, unknown>)[preset.id])), preset.id).toEqual(
        catalogWords(preset),
      );
    }
  });

  it('are said in German in a German window, and as the preset words them in an English one', () => {
    for (const preset of PRESETS) {
      const info = presetInfo(preset);
      expect(localizedPreset(info, EN.t), preset.id).toEqual(info);
      const german = localizedPreset(info, DE.t);
      expect(german.summary, preset.id).not.toBe(preset.summary);
      // Everything but the words stays: the values the choices stand for, the links, the keys.
      expect(german.fields.map((field) => field.choices?.map((choice) => choice.value))).toEqual(
        info.fields.map((field) => field.choices?.map((choice) => choice.value)),
      );
      expect(german.secrets.map((secret) => secret.key)).toEqual(info.secrets.map((secret) => secret.key));
      expect(german.keysUrl).toBe(info.keysUrl);
    }
    const [deepl, sendgrid, twilio, openRouterKey] = ['deepl', 'sendgrid', 'twilio', 'openrouter-key'].map((id) => {
      const preset = PRESETS.find((candidate) => candidate.id === id);
      if (!preset) throw new Error(id);
      return localizedPreset(presetInfo(preset), DE.t);
    });
    expect(deepl?.summary).toBe(
      'Übersetzte Zeichen in diesem Abrechnungszeitraum, gegenüber dem Limit des Tarifs oder der Kostenkontrolle.',
    );
    expect(deepl?.fields[0]?.label).toBe('Tarif');
    expect(deepl?.secrets[0]).toMatchObject({ key: 'authKey', label: 'Authentifizierungsschlüssel' });
    expect(sendgrid?.fields[0]?.choices?.map((choice) => choice.label)).toEqual([
      'Weltweit (api.sendgrid.com)',
      'EU (api.eu.sendgrid.com)',
    ]);
    // A placeholder of the description in the words is kept as it is.
    expect(twilio?.fields[0]?.help).toContain('{{secret:accountSid}} steht für die Account SID');
    expect(openRouterKey?.title).toBe('OpenRouter: ein API-Schlüssel');
  });

  it('keep their own words where the catalog has none (a preset newer than the catalog)', () => {
    const newer: PresetInfo = {
      id: 'newer',
      name: 'Newer',
      title: 'Newer',
      minIntervalMinutes: 5,
      summary: 'Its own summary.',
      fields: [
        { key: 'url', label: 'API address', help: 'Its own help.', choices: [{ label: 'a.example', value: 'x' }] },
      ],
      secrets: [{ key: 'apiKey', label: 'API key' }],
    };
    expect(localizedPreset(newer, DE.t)).toEqual(newer);
  });
});

describe('meter notes', () => {
  const money = (amount: number) => ({ amount, currency: 'USD', digits: 2 });

  it('say amounts as the engine does in English and in the German number format', () => {
    const fields = noteFields([notePart('awsOverBudget', { amount: money(1234.5) }), notePart('awsNoForecast')]);
    expect(fields.note).toBe(
      'Over budget by 1234.50 USD. AWS has no forecast for this budget yet; it needs some weeks of usage to make one.',
    );
    const spend = meterSchema.parse(meter({ id: 'actualSpend', label: 'Actual spend', unit: 'money', ...fields }));
    expect(localizedMeters('aws-budgets', [spend], EN.t)[0]?.note).toBe(fields.note);
    expect(localizedMeters('aws-budgets', [spend], DE.t)[0]?.note).toBe(
      'Budget um 1.234,50 USD überschritten. AWS hat für dieses Budget noch keine Prognose; dafür braucht es einige Wochen Nutzung.',
    );
    expect(noteFields([])).toEqual({});
  });

  it('keep the engine’s words without parts, with a part the catalog does not know, and for custom endpoints', () => {
    const old = meterSchema.parse(meter({ note: 'Pending: 1.00 USD, not yet available.' }));
    expect(old.noteParts).toBeUndefined();
    const unknown = meter({ note: 'From a newer engine.', noteParts: [{ key: 'somethingNew' }] });
    const custom = meter({ note: 'Own words.', noteParts: [notePart('stripeTestMode')] });
    expect(localizedMeters('stripe', [old, unknown], DE.t).map((entry) => entry.note)).toEqual([
      'Pending: 1.00 USD, not yet available.',
      'From a newer engine.',
    ]);
    expect(localizedMeters('custom', [custom], DE.t)[0]?.note).toBe('Own words.');
    // Nothing to say differently: the same meter comes back.
    const plain = meter();
    expect(localizedMeters('stripe', [plain], DE.t)[0]).toBe(plain);
  });
});
