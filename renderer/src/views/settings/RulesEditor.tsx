import { useState } from 'react';
import { describedBy, FieldErrors, fieldIds } from '../../components/FormField';
import {
  EMPTY_LEVEL_RULES,
  type ForecastChoice,
  type LevelRulesInput,
  type RulesInput,
  type ThresholdInput,
} from '../../logic/form/rules-form';
import { useT } from '../../i18n/use-t';
import { useMoneyDisplay } from '../../components/money-context';

/** What an empty threshold means: a short form for the placeholder ("20"), a long one for the help. */
interface Inherited {
  short: string;
  long: string;
}

/** One threshold: its value and whether it is a share or an amount; `label` says which ("Warning at"). */
function ThresholdControl(props: {
  name: string;
  label: string;
  input: ThresholdInput;
  inherited: Inherited;
  errors: readonly string[];
  onChange: (input: ThresholdInput) => void;
}) {
  const t = useT();
  const ids = fieldIds(props.name);
  const { label } = props;
  return (
    <div
      className={`field threshold${props.errors.length ? ' invalid' : ''}`}
      role="group"
      aria-labelledby={`${ids.input}-legend`}
    >
      <span className="label" id={`${ids.input}-legend`}>
        {label}
      </span>
      <span className="threshold-inputs">
        <label className="visually-hidden" htmlFor={ids.input}>
          {t('rules.valueOf', { level: label })}
        </label>
        <input
          id={ids.input}
          type="text"
          inputMode="decimal"
          className="short"
          placeholder={props.inherited.short}
          value={props.input.value}
          aria-invalid={props.errors.length > 0}
          aria-describedby={describedBy(props.name, true, props.errors.length > 0)}
          onChange={(event) => {
            props.onChange({ ...props.input, value: event.target.value });
          }}
        />
        <label className="visually-hidden" htmlFor={`${ids.input}-kind`}>
          {t('rules.kindOf', { level: label })}
        </label>
        <select
          id={`${ids.input}-kind`}
          value={props.input.kind}
          onChange={(event) => {
            props.onChange({ ...props.input, kind: event.target.value === 'absolute' ? 'absolute' : 'percent' });
          }}
        >
          <option value="percent">{t('rules.percentLeft')}</option>
          <option value="absolute">{t('rules.amountLeft')}</option>
        </select>
      </span>
      <p className="help" id={ids.help}>
        {t('rules.emptyMeans', { value: props.inherited.long })}
      </p>
      <FieldErrors name={props.name} errors={props.errors} />
    </div>
  );
}

function LevelControls(props: {
  prefix: string;
  input: LevelRulesInput;
  inheritedWarning: Inherited;
  inheritedCritical: Inherited;
  errors: ReadonlyMap<string, string[]>;
  onChange: (input: LevelRulesInput) => void;
}) {
  const t = useT();
  const forecastId = fieldIds(`${props.prefix}.forecast`).input;
  return (
    <>
      <ThresholdControl
        name={`${props.prefix}.warning`}
        label={t('rules.warning')}
        input={props.input.warning}
        inherited={props.inheritedWarning}
        errors={props.errors.get(`${props.prefix}.warning`) ?? []}
        onChange={(warning) => {
          props.onChange({ ...props.input, warning });
        }}
      />
      <ThresholdControl
        name={`${props.prefix}.critical`}
        label={t('rules.critical')}
        input={props.input.critical}
        inherited={props.inheritedCritical}
        errors={props.errors.get(`${props.prefix}.critical`) ?? []}
        onChange={(critical) => {
          props.onChange({ ...props.input, critical });
        }}
      />
      <div className="field">
        <label htmlFor={forecastId}>{t('rules.forecast')}</label>
        <select
          id={forecastId}
          value={props.input.forecast}
          onChange={(event) => {
            const value = event.target.value;
            const forecast: ForecastChoice = value === 'on' || value === 'off' ? value : 'inherit';
            props.onChange({ ...props.input, forecast });
          }}
        >
          <option value="inherit">{t('rules.forecastInherit')}</option>
          <option value="on">{t('rules.forecastOn')}</option>
          <option value="off">{t('rules.forecastOff')}</option>
        </select>
      </div>
    </>
  );
}

/**
 * Warning and critical thresholds for the account, for single meters where they differ, and for
 * the members' own credit allocations where the provider lists them (`memberCredits`); and whether
 * a quota reset or a top-up is notified too (the account's `notifyOnRefill`, not a rule).
 */
export function RulesEditor(props: {
  rules: RulesInput;
  meters: readonly { id: string; label: string }[];
  memberCredits: boolean;
  errors: ReadonlyMap<string, string[]>;
  onChange: (rules: RulesInput) => void;
  notifyOnRefill: boolean;
  onNotifyOnRefillChange: (on: boolean) => void;
}) {
  const t = useT();
  const money = useMoneyDisplay();
  const [adding, setAdding] = useState('');
  const overridden = new Set(props.rules.meters.map((meter) => meter.meterId));
  const available = props.meters.filter((meter) => !overridden.has(meter.id));
  const labelOf = (meterId: string): string => props.meters.find((meter) => meter.id === meterId)?.label ?? meterId;
  const defaultWarning = { short: '20', long: t('rules.defaultWarning') };
  const defaultCritical = { short: '5', long: t('rules.defaultCritical') };
  const accountWarning = props.rules.warning.value.trim()
    ? inheritedFrom(props.rules.warning, t('rules.accountRule'), t('rules.unitPercent'))
    : defaultWarning;
  const accountCritical = props.rules.critical.value.trim()
    ? inheritedFrom(props.rules.critical, t('rules.accountRule'), t('rules.unitPercent'))
    : defaultCritical;
  const selected = available.some((meter) => meter.id === adding) ? adding : (available[0]?.id ?? '');

  return (
    <fieldset className="group">
      <legend>{t('rules.legend')}</legend>
      <p className="help">{t('rules.help')}</p>
      {money ? <p className="help">{t('rules.amountCurrency', { currency: money.currency })}</p> : null}
      <LevelControls
        prefix="rules"
        input={props.rules}
        inheritedWarning={defaultWarning}
        inheritedCritical={defaultCritical}
        errors={props.errors}
        onChange={(level) => {
          props.onChange({ ...props.rules, ...level });
        }}
      />
      {props.rules.meters.map((meter, index) => (
        <fieldset className="group nested" key={meter.meterId}>
          <legend>{t('rules.meterLegend', { label: labelOf(meter.meterId) })}</legend>
          <LevelControls
            prefix={`rules.meters.${meter.meterId}`}
            input={meter}
            inheritedWarning={accountWarning}
            inheritedCritical={accountCritical}
            errors={props.errors}
            onChange={(level) => {
              const meters = [...props.rules.meters];
              meters[index] = { meterId: meter.meterId, ...level };
              props.onChange({ ...props.rules, meters });
            }}
          />
          <button
            type="button"
            onClick={() => {
              props.onChange({
                ...props.rules,
                meters: props.rules.meters.filter((candidate) => candidate.meterId !== meter.meterId),
              });
            }}
          >
            {t('rules.removeMeter', { label: labelOf(meter.meterId) })}
          </button>
        </fieldset>
      ))}
      {available.length ? (
        <div className="field inline">
          <label htmlFor="rules-add-meter">{t('rules.addMeterLabel')}</label>
          <span className="row-actions">
            <select
              id="rules-add-meter"
              value={selected}
              onChange={(event) => {
                setAdding(event.target.value);
              }}
            >
              {available.map((meter) => (
                <option key={meter.id} value={meter.id}>
                  {meter.label}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() => {
                if (selected)
                  props.onChange({
                    ...props.rules,
                    meters: [...props.rules.meters, { meterId: selected, ...EMPTY_LEVEL_RULES }],
                  });
              }}
            >
              {t('rules.addMeter')}
            </button>
          </span>
        </div>
      ) : null}
      {props.memberCredits ? (
        <fieldset className="group nested">
          <legend>{t('rules.membersLegend')}</legend>
          <p className="help">{t('rules.membersHelp')}</p>
          {(['warning', 'critical'] as const).map((level) => (
            <ThresholdControl
              key={level}
              name={`rules.userCredits.${level}`}
              label={t(level === 'warning' ? 'rules.membersWarning' : 'rules.membersCritical')}
              input={props.rules.userCredits[level]}
              inherited={
                level === 'warning'
                  ? { short: defaultWarning.short, long: t('rules.defaultMembersWarning') }
                  : { short: defaultCritical.short, long: t('rules.defaultMembersCritical') }
              }
              errors={props.errors.get(`rules.userCredits.${level}`) ?? []}
              onChange={(input) => {
                props.onChange({ ...props.rules, userCredits: { ...props.rules.userCredits, [level]: input } });
              }}
            />
          ))}
        </fieldset>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          checked={props.notifyOnRefill}
          aria-describedby="rules-refill-help"
          onChange={(event) => {
            props.onNotifyOnRefillChange(event.target.checked);
          }}
        />
        {t('rules.refill')}
      </label>
      <p className="help" id="rules-refill-help">
        {t('rules.refillHelp')}
      </p>
    </fieldset>
  );
}

/** A meter's empty threshold takes the account's: "30 % left (the account's rule)". */
function inheritedFrom(input: ThresholdInput, accountRule: string, percentLeft: string): Inherited {
  const value = input.value.trim();
  return { short: value, long: `${input.kind === 'percent' ? `${value} ${percentLeft}` : value} ${accountRule}` };
}
