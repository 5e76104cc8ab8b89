import type { AlertRules, ForecastRule, MeterRules, Threshold, UserCreditRules } from '../../../../shared/rules';
import type { Message } from '../message';

/**
 * The alert rules as the form edits them: per level a kind (share or amount left) and a value as
 * typed; an empty value means "inherit" (the defaults, or the account's rule for a meter).
 */
export type ThresholdKind = 'percent' | 'absolute';

export interface ThresholdInput {
  kind: ThresholdKind;
  value: string;
}

/** `inherit`: the default rule (or the account's, for a meter). */
export type ForecastChoice = 'inherit' | 'on' | 'off';

/** A warning and a critical threshold: a meter's, the account's, or the members' own allocations'. */
export interface ThresholdsInput {
  warning: ThresholdInput;
  critical: ThresholdInput;
}

export interface LevelRulesInput extends ThresholdsInput {
  forecast: ForecastChoice;
  /** The forecast's `withinDays` (config file or import): the form does not edit it, and keeps it. */
  forecastWithinDays?: number | null;
}

export interface RulesInput extends LevelRulesInput {
  meters: ({ meterId: string } & LevelRulesInput)[];
  /** "Any member below N % (or N credits) of their allocation" (ArcGIS Online's members). */
  userCredits: ThresholdsInput;
}

export type RulesProblemKey = 'form.notANumber' | 'form.atLeast' | 'form.atMost';

export const EMPTY_LEVEL_RULES: LevelRulesInput = {
  warning: { kind: 'percent', value: '' },
  critical: { kind: 'percent', value: '' },
  forecast: 'inherit',
};

function thresholdInput(threshold: Threshold | undefined): ThresholdInput {
  if (!threshold) return { kind: 'percent', value: '' };
  return 'percentRemaining' in threshold
    ? { kind: 'percent', value: String(threshold.percentRemaining) }
    : { kind: 'absolute', value: String(threshold.remaining) };
}

function thresholdsInput(rules: UserCreditRules | undefined): ThresholdsInput {
  return { warning: thresholdInput(rules?.warning), critical: thresholdInput(rules?.critical) };
}

function levelInput(rules: MeterRules | undefined): LevelRulesInput {
  const forecast = rules?.forecast?.runsOutBeforeReset;
  const withinDays = rules?.forecast?.withinDays;
  return {
    ...thresholdsInput(rules),
    forecast: forecast === undefined ? 'inherit' : forecast ? 'on' : 'off',
    ...(withinDays === undefined ? {} : { forecastWithinDays: withinDays }),
  };
}

export function rulesInput(rules: AlertRules | undefined): RulesInput {
  return {
    ...levelInput(rules),
    meters: Object.entries(rules?.meters ?? {}).map(([meterId, meterRules]) => ({
      meterId,
      ...levelInput(meterRules),
    })),
    userCredits: thresholdsInput(rules?.userCredits),
  };
}

export interface RulesResult {
  /** Undefined when nothing is set: the account follows the defaults. */
  rules: AlertRules | undefined;
  /** Field paths as the form names them (`rules.warning`, `rules.meters.credits.critical`). */
  problems: { field: string; message: Message<RulesProblemKey> }[];
}

function threshold(input: ThresholdInput, field: string, problems: RulesResult['problems']): Threshold | undefined {
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text.replace(',', '.'));
  if (!Number.isFinite(value)) {
    problems.push({ field, message: { key: 'form.notANumber' } });
    return undefined;
  }
  if (value < 0) {
    problems.push({ field, message: { key: 'form.atLeast', values: { min: 0 } } });
    return undefined;
  }
  if (input.kind === 'percent') {
    if (value > 100) {
      problems.push({ field, message: { key: 'form.atMost', values: { max: 100 } } });
      return undefined;
    }
    return { percentRemaining: value };
  }
  return { remaining: value };
}

function thresholds(input: ThresholdsInput, prefix: string, problems: RulesResult['problems']): UserCreditRules {
  const rules: UserCreditRules = {};
  const warning = threshold(input.warning, `${prefix}.warning`, problems);
  const critical = threshold(input.critical, `${prefix}.critical`, problems);
  if (warning) rules.warning = warning;
  if (critical) rules.critical = critical;
  return rules;
}

function levelRules(input: LevelRulesInput, prefix: string, problems: RulesResult['problems']): MeterRules {
  const rules: MeterRules = thresholds(input, prefix, problems);
  const forecast: ForecastRule = {};
  if (input.forecast !== 'inherit') forecast.runsOutBeforeReset = input.forecast === 'on';
  if (input.forecastWithinDays !== undefined) forecast.withinDays = input.forecastWithinDays;
  if (Object.keys(forecast).length > 0) rules.forecast = forecast;
  return rules;
}

export function rulesFromInput(input: RulesInput): RulesResult {
  const problems: RulesResult['problems'] = [];
  const rules: AlertRules = levelRules(input, 'rules', problems);
  const meters: Record<string, MeterRules> = {};
  for (const meter of input.meters) {
    const own = levelRules(meter, `rules.meters.${meter.meterId}`, problems);
    if (Object.keys(own).length > 0) meters[meter.meterId] = own;
  }
  if (Object.keys(meters).length > 0) rules.meters = meters;
  const userCredits = thresholds(input.userCredits, 'rules.userCredits', problems);
  if (Object.keys(userCredits).length > 0) rules.userCredits = userCredits;
  return { rules: Object.keys(rules).length > 0 ? rules : undefined, problems };
}
