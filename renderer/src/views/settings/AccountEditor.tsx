import { useMemo, useState, type SyntheticEvent } from 'react';
import { localizedMeters } from '../../../../shared/i18n/engine-names';
import type { AccountEntry, ConnectionTestResult as TestResult, IpcError, PresetInfo, ProviderInfo, SecretField } from '../../../../shared/ipc';
import type { AlertRules } from '../../../../shared/rules';
import { describedBy, fieldIds, FormField } from '../../components/FormField';
import { navigate } from '../../components/navigation';
import { useOpenLink } from '../../components/use-open-link';
import { draftFromForm, type AccountFormState, type CustomInput, type DraftProblemKey, type DraftResult } from '../../logic/form/account-draft';
import { declaredSecrets, presetFields, valueAt } from '../../logic/form/preset-fields';
import { problemsByField } from '../../logic/form/problems';
import { rulesInput, type RulesInput } from '../../logic/form/rules-form';
import { fieldsFromJsonSchema, initialValues, type FieldSpec } from '../../logic/form/schema-fields';
import type { Message } from '../../logic/message';
import { routeHash } from '../../logic/routes';
import { useHeadroom, useStore } from '../../state/use-headroom';
import { ConfigFields } from './ConfigFields';
import { ConnectionTestResult } from './ConnectionTestResult';
import { CustomEndpointFields } from './CustomEndpointFields';
import { DeleteAccountDialog } from './DeleteAccountDialog';
import { useFlash } from './flash';
import { RulesEditor } from './RulesEditor';
import { SecretFields, type SecretFieldInfo } from './SecretFields';
import { useT } from '../../i18n/use-t';

/** The form for a new account (`initialProvider`) or an existing one (`accountId`). */
export function AccountEditor({ accountId, initialProvider }: { accountId?: string; initialProvider?: string | undefined }) {
  const t = useT();
  const { providers, accounts } = useHeadroom();
  if (!providers || !accounts) return <p className="loading">{t('common.loading')}</p>;
  const entry = accountId ? accounts.find((candidate) => candidate.account.id === accountId) : undefined;
  if (accountId && !entry) {
    return (
      <>
        <h1 tabIndex={-1}>{t('form.notFoundTitle')}</h1>
        <p>{t('form.notFound', { id: accountId })}</p>
        <a href={routeHash({ view: 'settings' })}>{t('settings.allSettings')}</a>
      </>
    );
  }
  const choosable = providers.providers.filter((provider) => provider.id !== 'demo' || entry?.account.provider === 'demo');
  const providerId = entry?.account.provider ?? (choosable.some((provider) => provider.id === initialProvider) ? initialProvider : choosable[0]?.id);
  const provider = providers.providers.find((candidate) => candidate.id === providerId);
  if (!provider) return <p className="notice error">{t('form.noProviders')}</p>;
  return <AccountForm key={`${entry?.account.id ?? 'new'}:${provider.id}`} entry={entry ?? null} provider={provider} choosable={choosable} presets={providers.presets} />;
}

function presetValuesFor(preset: PresetInfo | undefined, config: Readonly<Record<string, unknown>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of preset ? presetFields(preset) : []) {
    const value = valueAt(config, field.key);
    values[field.key] = typeof value === 'string' ? value : (field.choices?.[0]?.value ?? '');
  }
  return values;
}

function initialCustom(presets: readonly PresetInfo[], config: Readonly<Record<string, unknown>>, isNew: boolean): CustomInput {
  const presetId = typeof config.preset === 'string' ? config.preset : isNew ? (presets[0]?.id ?? null) : null;
  const preset = presets.find((candidate) => candidate.id === presetId);
  return {
    presetId: preset ? preset.id : null,
    presetValues: presetValuesFor(preset, config),
    description: preset ? '' : JSON.stringify(isNew ? { service: '', url: 'https://', secrets: [], meters: [] } : config, null, 2),
  };
}

function initialState(entry: AccountEntry | null, provider: ProviderInfo, fields: readonly FieldSpec[], presets: readonly PresetInfo[]): AccountFormState {
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

/** What a new account's rules start from: the preset's suggestion (a balance needs amounts), else the defaults. */
function suggestedRules(provider: ProviderInfo, presets: readonly PresetInfo[], presetId: string | null): AlertRules | undefined {
  if (provider.id !== 'custom') return undefined;
  return presets.find((preset) => preset.id === presetId)?.suggestedRules;
}

/** The secret fields the form shows now: the provider's, or the preset's / description's for custom endpoints. */
function secretFieldsOf(state: AccountFormState, provider: ProviderInfo, presets: readonly PresetInfo[], entry: AccountEntry | null): SecretFieldInfo[] {
  let fields: SecretField[];
  if (provider.id !== 'custom') fields = provider.secretFields;
  else if (state.custom.presetId !== null) fields = presets.find((preset) => preset.id === state.custom.presetId)?.secrets ?? [];
  else {
    // A description may start from a preset ("preset": "deepl" and overrides): its secrets come with it.
    const description = parseOrNull(state.custom.description);
    const presetId = typeof description === 'object' && description !== null && 'preset' in description ? description.preset : undefined;
    const fromPreset = presets.find((preset) => preset.id === presetId)?.secrets ?? [];
    const declared = declaredSecrets(description).filter((key) => !fromPreset.some((field) => field.key === key));
    fields = [...fromPreset, ...declared.map((key) => ({ key, label: key }))];
  }
  return fields.map((field) => {
    const stored = entry?.secrets.find((secret) => secret.field === field.key);
    return { ...field, ...(entry ? { isSet: stored ? stored.isSet : false } : {}) };
  });
}

function AccountForm(props: { entry: AccountEntry | null; provider: ProviderInfo; choosable: readonly ProviderInfo[]; presets: readonly PresetInfo[] }) {
  const t = useT();
  const store = useStore();
  const flash = useFlash();
  const openLink = useOpenLink();
  const { snapshots } = useHeadroom();
  const { entry, provider, presets } = props;
  const fields = useMemo(() => fieldsFromJsonSchema(provider.configJsonSchema), [provider]);
  const [state, setState] = useState<AccountFormState>(() => initialState(entry, provider, fields, presets));
  const [problems, setProblems] = useState<Map<string, string[]>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<TestResult | null>(null);
  const [deleting, setDeleting] = useState(false);
  const isNew = entry === null;
  const secretFields = secretFieldsOf(state, provider, presets, entry);
  // A preset names the service and how often it may be asked ("GitHub", every minute).
  const chosenPreset = provider.id === 'custom' ? presets.find((preset) => preset.id === state.custom.presetId) : undefined;
  const serviceName = chosenPreset?.name ?? provider.name;
  const minInterval = chosenPreset?.minIntervalMinutes ?? provider.minIntervalMinutes;
  const knownMeters = useMemo(() => {
    const fromTest = testResult?.status === 'ok' ? testResult.meters : [];
    const fromSnapshot = snapshots?.find((snapshot) => snapshot.accountId === entry?.account.id)?.meters ?? [];
    const all = new Map(localizedMeters(provider.id, [...fromSnapshot, ...fromTest], t).map((meter) => [meter.id, { id: meter.id, label: meter.label }]));
    return [...all.values()];
  }, [testResult, snapshots, entry, provider.id, t]);

  const update = (patch: Partial<AccountFormState>): void => {
    setState((current) => ({ ...current, ...patch }));
  };
  const say = (message: Message<DraftProblemKey>): string => t(message.key, message.values ?? {});

  /** Which form fields exist now: a problem for one of them is shown beside it, the rest above the buttons. */
  const shownFields = new Set<string>([
    'label',
    'intervalMinutes',
    'rules',
    'rules.warning',
    'rules.critical',
    ...state.rules.meters.flatMap((meter) => [`rules.meters.${meter.meterId}.warning`, `rules.meters.${meter.meterId}.critical`]),
    ...(provider.id === 'custom'
      ? ['config.preset', 'config.description', ...presetFields(presets.find((preset) => preset.id === state.custom.presetId) ?? { fields: [] }).map((field) => `config.${field.key}`)]
      : fields.map((field) => `config.${field.key}`)),
    ...secretFields.map((field) => `secrets.${field.key}`),
  ]);

  const localDraft = (): DraftResult | null => {
    const result = draftFromForm(state, fields, entry?.account ?? null);
    const local = new Map<string, string[]>();
    for (const problem of result.problems) local.set(problem.field, [...(local.get(problem.field) ?? []), say(problem.message)]);
    setProblems(local);
    if (local.size > 0) {
      setFormError(t('form.fixProblems', { count: [...local.values()].flat().length }));
      focusFirstProblem(local);
      return null;
    }
    return result;
  };

  const showIpcError = (error: IpcError): void => {
    if (error.code === 'invalid_request' && error.problems?.length) {
      const byField = problemsByField(error.problems, shownFields);
      const general = byField.get('') ?? [];
      byField.delete('');
      // zod's words for an empty name are not for people ("Too small: expected string…").
      if (byField.has('label') && state.label.trim() === '') byField.set('label', [t('form.labelRequired')]);
      setProblems(byField);
      setFormError([t('form.fixProblems', { count: error.problems.length }), ...general].join(' '));
      focusFirstProblem(byField);
    } else {
      setFormError(error.message);
    }
  };

  const save = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    setFormError(null);
    const result = localDraft();
    if (!result) return;
    setSaving(true);
    try {
      if (isNew) {
        const reply = await store.api.invoke('accounts:create', { account: result.draft, secrets: result.secrets });
        if (!reply.ok) {
          showIpcError(reply.error);
          return;
        }
        await store.reloadAccounts();
        const target = { view: 'account' as const, accountId: reply.value.entry.account.id };
        flash({ text: t('form.added', { label: reply.value.entry.account.label }), warnings: reply.value.warnings, tone: 'ok', at: routeHash(target) });
        navigate(target);
        return;
      }
      const { draft } = result;
      const patch = { label: draft.label, config: draft.config, enabled: draft.enabled, rules: draft.rules ?? null, intervalMinutes: draft.intervalMinutes ?? null };
      const reply = await store.api.invoke('accounts:update', { accountId: entry.account.id, patch, secrets: result.secrets });
      if (!reply.ok) {
        showIpcError(reply.error);
        return;
      }
      const warnings = [...reply.value.warnings];
      for (const field of result.clears) {
        const cleared = await store.api.invoke('accounts:clear-secret', { accountId: entry.account.id, field });
        if (!cleared.ok) warnings.push(cleared.error.message);
        else warnings.push(...cleared.value.warnings);
      }
      await store.reloadAccounts();
      setState((current) => ({ ...current, secrets: {} }));
      setProblems(new Map());
      flash({ text: t('form.saved', { label: draft.label }), warnings, tone: 'ok', at: routeHash({ view: 'account', accountId: entry.account.id }) });
      document.querySelector<HTMLElement>('main h1')?.focus();
    } finally {
      setSaving(false);
    }
  };

  const test = async (): Promise<void> => {
    setFormError(null);
    setTestResult(null);
    const result = localDraft();
    if (!result) return;
    setTesting(true);
    const reply = await store.api.invoke('accounts:test-connection', {
      // A test needs a name for its messages; the service's will do before one is typed.
      account: { ...result.draft, label: result.draft.label || serviceName },
      secrets: result.secrets,
      ...(entry ? { existingAccountId: entry.account.id } : {}),
    });
    setTesting(false);
    if (!reply.ok) {
      showIpcError(reply.error);
      return;
    }
    setTestResult(reply.value);
    if (reply.value.status === 'error' && reply.value.problems?.length) {
      const byField = problemsByField(reply.value.problems, shownFields);
      byField.delete('');
      setProblems(byField);
    }
  };

  const labelErrors = problems.get('label') ?? [];
  const intervalErrors = problems.get('intervalMinutes') ?? [];
  return (
    <>
      <h1 tabIndex={-1}>{isNew ? t('form.addTitle') : t('form.editTitle', { label: entry.account.label })}</h1>
      <form
        className="account-form"
        noValidate
        aria-describedby={formError ? 'form-error' : undefined}
        onSubmit={(event) => {
          void save(event);
        }}
      >
        {isNew ? (
          <FormField name="provider" label={t('form.provider')} help={t('form.providerHelp')}>
            <select
              id={fieldIds('provider').input}
              value={provider.id}
              aria-describedby={fieldIds('provider').help}
              onChange={(event) => {
                navigate({ view: 'new-account', provider: event.target.value });
              }}
            >
              {props.choosable.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </FormField>
        ) : (
          <p className="muted">{t('form.providerIs', { name: entry.providerName })}</p>
        )}

        <FormField name="label" label={t('form.label')} help={t('form.labelHelp')} errors={labelErrors} required>
          <input
            id={fieldIds('label').input}
            type="text"
            maxLength={80}
            required
            autoComplete="off"
            value={state.label}
            aria-invalid={labelErrors.length > 0}
            aria-describedby={describedBy('label', true, labelErrors.length > 0)}
            onChange={(event) => {
              update({ label: event.target.value });
            }}
          />
        </FormField>

        <fieldset className="group">
          <legend>{t('form.connection', { name: serviceName })}</legend>
          {provider.id === 'custom' ? (
            <CustomEndpointFields
              presets={presets}
              custom={state.custom}
              errors={problems}
              onOpenLink={openLink}
              onChange={(custom) => {
                const preset = presets.find((candidate) => candidate.id === custom.presetId);
                const changedPreset = custom.presetId !== state.custom.presetId;
                // A new account's rules follow the preset's suggestion until the person changes them.
                const rulesUntouched = isNew && sameRules(state.rules, rulesInput(suggestedRules(provider, presets, state.custom.presetId)));
                update({
                  custom: changedPreset ? { ...custom, presetValues: presetValuesFor(preset, {}) } : custom,
                  secrets: changedPreset ? {} : state.secrets,
                  ...(changedPreset && rulesUntouched ? { rules: rulesInput(suggestedRules(provider, presets, custom.presetId)) } : {}),
                });
              }}
            />
          ) : (
            <ConfigFields
              provider={provider.id}
              fields={fields}
              values={state.values}
              errors={problems}
              onChange={(key, value) => {
                setState((current) => ({ ...current, values: { ...current.values, [key]: value } }));
              }}
            />
          )}
        </fieldset>

        <SecretFields
          provider={provider.id === 'custom' ? `custom:${state.custom.presetId ?? ''}` : provider.id}
          fields={secretFields}
          inputs={state.secrets}
          errors={problems}
          onChange={(key, input) => {
            setState((current) => ({ ...current, secrets: { ...current.secrets, [key]: input } }));
          }}
        />

        <fieldset className="group">
          <legend>{t('form.checking')}</legend>
          <FormField
            name="intervalMinutes"
            label={t('form.interval')}
            help={t('form.intervalHelp', { count: minInterval, name: serviceName })}
            errors={intervalErrors}
          >
            <input
              id={fieldIds('intervalMinutes').input}
              type="text"
              inputMode="decimal"
              className="short"
              value={state.interval}
              placeholder={t('form.intervalDefault')}
              aria-invalid={intervalErrors.length > 0}
              aria-describedby={describedBy('intervalMinutes', true, intervalErrors.length > 0)}
              onChange={(event) => {
                update({ interval: event.target.value });
              }}
            />
          </FormField>
          {provider.usageCallCountsAgainstQuota ? <p className="help">{t('form.costsQuota', { name: serviceName })}</p> : null}
          <label className="check">
            <input
              type="checkbox"
              checked={state.enabled}
              onChange={(event) => {
                update({ enabled: event.target.checked });
              }}
            />
            {t('form.enabled')}
          </label>
        </fieldset>

        <RulesEditor
          rules={state.rules}
          meters={knownMeters}
          memberCredits={provider.reportsMemberCredits}
          errors={problems}
          onChange={(rules) => {
            update({ rules });
          }}
        />

        {formError ? (
          <p className="notice error" id="form-error" role="alert">
            {formError}
          </p>
        ) : null}

        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t('form.saving') : isNew ? t('form.add') : t('form.save')}
          </button>
          <button
            type="button"
            disabled={testing}
            aria-busy={testing}
            onClick={() => {
              void test();
            }}
          >
            {testing ? t('form.testing') : t('form.test')}
          </button>
          <a className="button" href={routeHash({ view: 'settings' })}>
            {t('common.cancel')}
          </a>
          {!isNew ? (
            <button
              type="button"
              className="danger-outline push-end"
              onClick={() => {
                setDeleting(true);
              }}
            >
              {t('form.delete')}
            </button>
          ) : null}
        </div>
        <div className="test-region" role="status" aria-live="polite">
          {testing ? <p>{t('form.testing')}</p> : null}
          {testResult ? <ConnectionTestResult result={testResult} provider={provider.id} /> : null}
        </div>
      </form>
      {deleting && entry ? (
        <DeleteAccountDialog
          entry={entry}
          onDone={() => {
            setDeleting(false);
          }}
        />
      ) : null}
    </>
  );
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function sameRules(a: RulesInput, b: RulesInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** After a failed save, the first field with a problem gets the focus. */
function focusFirstProblem(problems: ReadonlyMap<string, string[]>): void {
  requestAnimationFrame(() => {
    for (const field of problems.keys()) {
      const element = document.getElementById(fieldIds(field).input);
      if (element) {
        element.focus();
        return;
      }
    }
    document.getElementById('form-error')?.focus();
  });
}
