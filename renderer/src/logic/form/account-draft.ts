import type { Account } from '../../../../shared/account';
import { MAX_INTERVAL_MINUTES } from '../../../../shared/limits';
import type { AlertRules } from '../../../../shared/rules';
import type { Message } from '../message';
import { configFromValues, type FieldSpec, type FieldValues, type LocalProblemKey } from './schema-fields';
import { withValueAt } from './preset-fields';
import { rulesFromInput, type RulesInput, type RulesProblemKey } from './rules-form';

/** A secret field in the form: keep what the keychain has, store a new value, or remove it. */
export interface SecretInput {
  action: 'keep' | 'set' | 'clear';
  value: string;
}

/** The custom provider's part: a preset with its few fields, or a whole description as JSON. */
export interface CustomInput {
  /** null: the person describes the endpoint themselves. */
  presetId: string | null;
  presetValues: Record<string, string>;
  description: string;
}

export interface AccountFormState {
  provider: string;
  label: string;
  values: FieldValues;
  custom: CustomInput;
  secrets: Record<string, SecretInput>;
  interval: string;
  enabled: boolean;
  rules: RulesInput;
}

export interface AccountDraft {
  provider: string;
  label: string;
  config: Record<string, unknown>;
  rules?: AlertRules;
  intervalMinutes?: number;
  enabled: boolean;
}

export type DraftProblemKey = LocalProblemKey | RulesProblemKey;

export interface DraftResult {
  draft: AccountDraft;
  /** Values to store in the keychain (never echoed back). */
  secrets: Record<string, string>;
  /** Secrets to remove. */
  clears: string[];
  /** Found before asking main, by form field (`config.creditBudget`, `rules.warning`, `intervalMinutes`). */
  problems: { field: string; message: Message<DraftProblemKey> }[];
}

/** The config of a custom account: the preset's id and the fields shown, or the JSON description. */
function customConfig(
  custom: CustomInput,
  original: Readonly<Record<string, unknown>>,
): { config: Record<string, unknown>; problems: DraftResult['problems'] } {
  if (custom.presetId === null) {
    try {
      const parsed: unknown = JSON.parse(custom.description);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return { config: parsed as Record<string, unknown>, problems: [] };
    } catch {
      // reported below
    }
    return { config: {}, problems: [{ field: 'config.description', message: { key: 'form.notJson' } }] };
  }
  let config: Record<string, unknown> = original.preset === custom.presetId ? { ...original } : {};
  config.preset = custom.presetId;
  for (const [key, value] of Object.entries(custom.presetValues)) config = withValueAt(config, key, value.trim());
  return { config, problems: [] };
}

export function draftFromForm(
  state: AccountFormState,
  fields: readonly FieldSpec[],
  original: Pick<Account, 'config'> | null,
): DraftResult {
  const problems: DraftResult['problems'] = [];
  const originalConfig = original?.config ?? {};
  let config: Record<string, unknown>;
  if (state.provider === 'custom') {
    const custom = customConfig(state.custom, originalConfig);
    config = custom.config;
    problems.push(...custom.problems);
  } else {
    const generated = configFromValues(fields, state.values, originalConfig);
    config = generated.config;
    problems.push(
      ...generated.problems.map((problem) => ({ field: `config.${problem.field}`, message: problem.message })),
    );
  }

  const rules = rulesFromInput(state.rules);
  problems.push(...rules.problems);

  const draft: AccountDraft = { provider: state.provider, label: state.label.trim(), config, enabled: state.enabled };
  if (rules.rules) draft.rules = rules.rules;
  const interval = state.interval.trim();
  if (interval !== '') {
    const minutes = Number(interval.replace(',', '.'));
    if (!Number.isFinite(minutes)) problems.push({ field: 'intervalMinutes', message: { key: 'form.notANumber' } });
    else if (minutes <= 0)
      problems.push({ field: 'intervalMinutes', message: { key: 'form.atLeast', values: { min: 1 } } });
    else if (minutes > MAX_INTERVAL_MINUTES)
      problems.push({
        field: 'intervalMinutes',
        message: { key: 'form.atMost', values: { max: MAX_INTERVAL_MINUTES } },
      });
    else draft.intervalMinutes = minutes;
  }

  const secrets: Record<string, string> = {};
  const clears: string[] = [];
  for (const [field, input] of Object.entries(state.secrets)) {
    if (input.action === 'set' && input.value !== '') secrets[field] = input.value;
    if (input.action === 'clear') clears.push(field);
  }
  return { draft, secrets, clears, problems };
}
