import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../main/engine/providers/registry';
import { draftFromForm, type AccountFormState } from '../../renderer/src/logic/form/account-draft';
import { declaredSecrets, valueAt, withValueAt } from '../../renderer/src/logic/form/preset-fields';
import { formFieldOf, problemsByField } from '../../renderer/src/logic/form/problems';
import { EMPTY_LEVEL_RULES, rulesFromInput, rulesInput } from '../../renderer/src/logic/form/rules-form';
import { configFromValues, fieldsFromJsonSchema, initialValues } from '../../renderer/src/logic/form/schema-fields';

/** The JSON Schema main sends in providers:list (main/services/ipc/handlers.ts does the same). */
function jsonSchemaOf(providerId: string): Record<string, unknown> {
  const provider = PROVIDERS.find((candidate) => candidate.id === providerId);
  if (!provider) throw new Error(providerId);
  return z.toJSONSchema(provider.configSchema, { io: 'input', unrepresentable: 'any' });
}

describe('fields from a provider’s config schema', () => {
  it('reads ArcGIS: a URL, a required text, an optional number', () => {
    const fields = fieldsFromJsonSchema(jsonSchemaOf('arcgis'));
    expect(fields.slice(0, 3)).toEqual([
      { key: 'portalUrl', kind: 'url', required: false },
      { key: 'username', kind: 'text', required: true },
      { key: 'creditBudget', kind: 'number', required: false, min: 0 },
    ]);
  });

  it('reads Spark (an id as text or number) and InsideView (a choice with a default)', () => {
    const spark = fieldsFromJsonSchema(jsonSchemaOf('spark'));
    expect(spark.find((field) => field.key === 'identityId')).toEqual({
      key: 'identityId',
      kind: 'text',
      required: true,
    });
    expect(spark.find((field) => field.key === 'monthlyHitBudget')?.kind).toBe('integer');
    const period = fieldsFromJsonSchema(jsonSchemaOf('insideview')).find((field) => field.key === 'period');
    expect(period).toEqual({
      key: 'period',
      kind: 'select',
      required: false,
      options: ['day', 'month', 'year'],
      defaultValue: 'month',
    });
  });

  it('turns values back into a config a provider accepts, keeping keys the form does not show', () => {
    const fields = fieldsFromJsonSchema(jsonSchemaOf('arcgis'));
    const values = { ...initialValues(fields, { username: 'ann', creditBudget: 500 }), creditBudget: '1000' };
    const result = configFromValues(fields, values, { username: 'ann', creditBudget: 500, extra: true });
    expect(result).toEqual({ config: { username: 'ann', creditBudget: 1000, extra: true }, problems: [] });
    const provider = PROVIDERS.find((candidate) => candidate.id === 'arcgis');
    expect(provider?.configSchema.safeParse({ username: 'ann', creditBudget: 1000 }).success).toBe(true);
  });

  it('leaves an empty optional field out and sends an empty required one, so the provider’s message comes back', () => {
    const fields = fieldsFromJsonSchema(jsonSchemaOf('arcgis'));
    expect(configFromValues(fields, { portalUrl: '', username: ' ', creditBudget: '' }).config).toEqual({
      username: '',
    });
  });

  it('finds a number that is not one before asking main', () => {
    const fields = fieldsFromJsonSchema(jsonSchemaOf('spark'));
    expect(configFromValues(fields, { identityId: '20', monthlyHitBudget: '2.5' }).problems).toEqual([
      { field: 'monthlyHitBudget', message: { key: 'form.notAWholeNumber' } },
    ]);
    expect(configFromValues(fields, { identityId: '20', monthlyHitBudget: 'lots' }).problems[0]?.message.key).toBe(
      'form.notANumber',
    );
  });
});

describe('problems from main', () => {
  it('find their field whatever the request called it', () => {
    expect(formFieldOf('account.config.username')).toBe('config.username');
    expect(formFieldOf('patch.label')).toBe('label');
    expect(formFieldOf('secrets.password')).toBe('secrets.password');
  });

  it('go to the nearest field shown, or to the summary', () => {
    const shown = new Set(['config.username', 'rules.warning', 'config.meters']);
    const grouped = problemsByField(
      [
        { path: 'account.config.username', message: 'enter the ArcGIS user name' },
        { path: 'account.rules.warning.percentRemaining', message: 'Too big' },
        { path: 'account.config.meters[0].used', message: 'does not compile' },
        { path: 'account.provider', message: 'unknown provider' },
      ],
      shown,
    );
    expect(Object.fromEntries(grouped)).toEqual({
      'config.username': ['enter the ArcGIS user name'],
      'rules.warning': ['Too big'],
      'config.meters': ['does not compile'],
      '': ['provider: unknown provider'],
    });
  });
});

describe('alert rules in the form', () => {
  it('round-trips percent and absolute thresholds, per account and per meter', () => {
    const rules = {
      warning: { percentRemaining: 20 },
      critical: { remaining: 500 },
      forecast: { runsOutBeforeReset: false },
      meters: { storage: { critical: { percentRemaining: 1 } } },
    };
    expect(rulesFromInput(rulesInput(rules))).toEqual({ rules, problems: [] });
  });

  it('keeps what it does not show: a forecast window in days, for the account and a meter, through an edit', () => {
    const rules = {
      forecast: { withinDays: 7 },
      meters: { credits: { forecast: { runsOutBeforeReset: true, withinDays: null } } },
    };
    const edited = { ...rulesInput(rules), warning: { kind: 'percent' as const, value: '30' } };
    expect(rulesFromInput(edited)).toEqual({ rules: { warning: { percentRemaining: 30 }, ...rules }, problems: [] });
  });

  it('round-trips the members’ credit rule, as a share or an amount of their own allocation', () => {
    const rules = { userCredits: { warning: { percentRemaining: 25 }, critical: { remaining: 10 } } };
    expect(rulesInput(rules).userCredits).toEqual({
      warning: { kind: 'percent', value: '25' },
      critical: { kind: 'absolute', value: '10' },
    });
    expect(rulesFromInput(rulesInput(rules))).toEqual({ rules, problems: [] });
    expect(
      rulesFromInput({ ...rulesInput(rules), userCredits: rulesInput(undefined).userCredits }).rules,
    ).toBeUndefined();
  });

  it('is undefined when everything is left to the defaults', () => {
    expect(
      rulesFromInput({ ...rulesInput(undefined), meters: [{ meterId: 'credits', ...EMPTY_LEVEL_RULES }] }),
    ).toEqual({ rules: undefined, problems: [] });
  });

  it('refuses a share over 100 % and a negative amount, naming the field', () => {
    const result = rulesFromInput({
      ...rulesInput(undefined),
      warning: { kind: 'percent', value: '120' },
      meters: [{ meterId: 'credits', ...EMPTY_LEVEL_RULES, critical: { kind: 'absolute', value: '-5' } }],
      userCredits: { warning: { kind: 'percent', value: '101' }, critical: { kind: 'absolute', value: 'ten' } },
    });
    expect(result.problems).toEqual([
      { field: 'rules.warning', message: { key: 'form.atMost', values: { max: 100 } } },
      { field: 'rules.meters.credits.critical', message: { key: 'form.atLeast', values: { min: 0 } } },
      { field: 'rules.userCredits.warning', message: { key: 'form.atMost', values: { max: 100 } } },
      { field: 'rules.userCredits.critical', message: { key: 'form.notANumber' } },
    ]);
  });

  it('reads a decimal comma', () => {
    expect(rulesFromInput({ ...rulesInput(undefined), warning: { kind: 'percent', value: '12,5' } }).rules).toEqual({
      warning: { percentRemaining: 12.5 },
    });
  });
});

describe('presets and described endpoints', () => {
  it('reads and writes nested preset fields', () => {
    const config = withValueAt({ preset: 'github' }, 'headers.Accept', 'application/json');
    expect(config).toEqual({ preset: 'github', headers: { Accept: 'application/json' } });
    expect(valueAt(config, 'headers.Accept')).toBe('application/json');
    expect(withValueAt(config, 'headers.Accept', '')).toEqual({ preset: 'github' });
  });

  it('keeps well-formed declared secrets only', () => {
    expect(declaredSecrets({ secrets: ['apiKey', 3, ''] })).toEqual(['apiKey']);
  });
});

describe('draftFromForm', () => {
  const base: AccountFormState = {
    provider: 'custom',
    label: '  DeepL Free ',
    values: {},
    custom: { presetId: 'deepl', presetValues: { url: 'https://api-free.deepl.com/v2/usage' }, description: '' },
    secrets: {
      authKey: { action: 'set', value: 'abc:fx' },
      old: { action: 'clear', value: '' },
      kept: { action: 'keep', value: '' },
    },
    interval: '30',
    enabled: true,
    rules: rulesInput(undefined),
  };

  it('builds a preset account, its secrets to store and the ones to clear', () => {
    expect(draftFromForm(base, [], null)).toEqual({
      draft: {
        provider: 'custom',
        label: 'DeepL Free',
        config: { preset: 'deepl', url: 'https://api-free.deepl.com/v2/usage' },
        enabled: true,
        intervalMinutes: 30,
      },
      secrets: { authKey: 'abc:fx' },
      clears: ['old'],
      problems: [],
    });
  });

  it('takes an own description as JSON, and says when it is not', () => {
    const own = {
      ...base,
      custom: { presetId: null, presetValues: {}, description: '{ "url": "https://x", "secrets": [], "meters": [] }' },
    };
    expect(draftFromForm(own, [], null).draft.config).toEqual({ url: 'https://x', secrets: [], meters: [] });
    const broken = { ...base, custom: { presetId: null, presetValues: {}, description: '{ url' } };
    expect(draftFromForm(broken, [], null).problems).toEqual([
      { field: 'config.description', message: { key: 'form.notJson' } },
    ]);
  });

  it('checks the interval', () => {
    expect(draftFromForm({ ...base, interval: '0' }, [], null).problems[0]).toEqual({
      field: 'intervalMinutes',
      message: { key: 'form.atLeast', values: { min: 1 } },
    });
    expect(draftFromForm({ ...base, interval: '' }, [], null).draft.intervalMinutes).toBeUndefined();
  });
});
