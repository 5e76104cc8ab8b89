import type { AccountEntry, PresetInfo, ProviderInfo, SecretField } from '../../../../../shared/ipc';
import type { AlertRules } from '../../../../../shared/rules';
import type { AccountFormState, CustomInput } from '../../../logic/form/account-draft';
import { declaredSecrets, valueAt } from '../../../logic/form/preset-fields';
import { rulesInput, type RulesInput } from '../../../logic/form/rules-form';
import { initialValues, type FieldSpec } from '../../../logic/form/schema-fields';
import type { SecretFieldInfo } from '../SecretFields';

/** What an account form starts from, and what it derives from its state: pure, no React. */

export function presetValuesFor(
  preset: PresetInfo | undefined,
  config: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of preset?.fields ?? []) {
    const value = valueAt(config, field.key);
    values[field.key] = typeof value === 'string' ? value : (field.choices?.[0]?.value ?? '');
  }
  return values;
}

function initialCustom(
  presets: readonly PresetInfo[],
  config: Readonly<Record<string, unknown>>,
  isNew: boolean,
): CustomInput {
  const presetId = typeof config.preset === 'string' ? config.preset : isNew ? (presets[0]?.id ?? null) : null;
  const preset = presets.find((candidate) => candidate.id === presetId);
  return {
    presetId: preset ? preset.id : null,
    presetValues: presetValuesFor(preset, config),
    description: preset
      ? ''
      : JSON.stringify(isNew ? { service: '', url: 'https://', secrets: [], meters: [] } : config, null, 2),
  };
}

export function initialState(
  entry: AccountEntry | null,
  provider: ProviderInfo,
  fields: readonly FieldSpec[],
  presets: readonly PresetInfo[],
): AccountFormState {
  const config = entry?.account.config ?? {};
  const custom = initialCustom(presets, config, entry === null);
  return {
    provider: provider.id,
    label: entry?.account.label ?? '',
    values: initialValues(fields, config),
    custom,
    secrets: {},
    interval: entry?.account.intervalMinutes === undefined ? '' : String(entry.account.intervalMinutes),
    enabled: entry?.account.enabled ?? true,
    rules: rulesInput(entry ? entry.account.rules : suggestedRules(provider, presets, custom.presetId)),
  };
}

/**
 * What a new account's rules start from: the provider's or the preset's suggestion (a balance needs
 * amounts), else the defaults.
 */
export function suggestedRules(
  provider: ProviderInfo,
  presets: readonly PresetInfo[],
  presetId: string | null,
): AlertRules | undefined {
  if (provider.id !== 'custom') return provider.suggestedRules;
  return presets.find((preset) => preset.id === presetId)?.suggestedRules;
}

/** The secret fields the form shows now: the provider's, or the preset's / description's for custom endpoints. */
export function secretFieldsOf(
  state: AccountFormState,
  provider: ProviderInfo,
  presets: readonly PresetInfo[],
  entry: AccountEntry | null,
): SecretFieldInfo[] {
  let fields: SecretField[];
  if (provider.id !== 'custom') fields = provider.secretFields;
  else if (state.custom.presetId !== null)
    fields = presets.find((preset) => preset.id === state.custom.presetId)?.secrets ?? [];
  else {
    // A description may start from a preset ("preset": "deepl" and overrides): its secrets come with it.
    const description = parseOrNull(state.custom.description);
    const presetId =
      typeof description === 'object' && description !== null && 'preset' in description
        ? description.preset
        : undefined;
    const fromPreset = presets.find((preset) => preset.id === presetId)?.secrets ?? [];
    const declared = declaredSecrets(description).filter((key) => !fromPreset.some((field) => field.key === key));
    fields = [...fromPreset, ...declared.map((key) => ({ key, label: key }))];
  }
  return fields.map((field) => {
    const stored = entry?.secrets.find((secret) => secret.field === field.key);
    return { ...field, ...(entry ? { isSet: stored ? stored.isSet : false } : {}) };
  });
}

/** Which form fields exist now: a problem for one of them is shown beside it, the rest above the buttons. */
export function shownFieldsOf(
  state: AccountFormState,
  provider: ProviderInfo,
  presets: readonly PresetInfo[],
  fields: readonly FieldSpec[],
  secretFields: readonly SecretFieldInfo[],
): Set<string> {
  return new Set<string>([
    'label',
    'intervalMinutes',
    'rules',
    'rules.warning',
    'rules.critical',
    ...state.rules.meters.flatMap((meter) => [
      `rules.meters.${meter.meterId}.warning`,
      `rules.meters.${meter.meterId}.critical`,
    ]),
    ...(provider.id === 'custom'
      ? [
          'config.preset',
          'config.description',
          ...(presets.find((preset) => preset.id === state.custom.presetId)?.fields ?? []).map(
            (field) => `config.${field.key}`,
          ),
        ]
      : fields.map((field) => `config.${field.key}`)),
    ...secretFields.map((field) => `secrets.${field.key}`),
  ]);
}

export function sameRules(a: RulesInput, b: RulesInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
