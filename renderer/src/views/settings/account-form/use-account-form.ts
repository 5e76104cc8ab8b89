import { useMemo, useState, type SyntheticEvent } from 'react';
import { localizedMeters } from '../../../../../shared/i18n/engine-names';
import type { AccountEntry, ConnectionTestResult, IpcError, PresetInfo, ProviderInfo } from '../../../../../shared/ipc';
import { fieldIds } from '../../../components/FormField';
import { navigate } from '../../../components/navigation';
import { useT } from '../../../i18n/use-t';
import {
  draftFromForm,
  type AccountFormState,
  type CustomInput,
  type DraftProblemKey,
  type DraftResult,
} from '../../../logic/form/account-draft';
import { problemsByField } from '../../../logic/form/problems';
import { rulesInput } from '../../../logic/form/rules-form';
import { fieldsFromJsonSchema, type FieldValue } from '../../../logic/form/schema-fields';
import type { Message } from '../../../logic/message';
import { routeHash } from '../../../logic/routes';
import { useHeadroom, useStore } from '../../../state/use-headroom';
import { localizedPreset } from '../field-text';
import { useFlash } from '../flash';
import {
  initialState,
  presetValuesFor,
  sameRules,
  secretFieldsOf,
  shownFieldsOf,
  suggestedRules,
} from './initial-form';

export interface AccountFormProps {
  entry: AccountEntry | null;
  provider: ProviderInfo;
  choosable: readonly ProviderInfo[];
  presets: readonly PresetInfo[];
}

/**
 * The state and actions of one account's form: the draft as typed, its problems (the form's own
 * checks first, then main's), and saving and testing through the store. The sections only draw it.
 */
export function useAccountForm({ entry, provider, presets: presetsAsSent }: AccountFormProps) {
  const t = useT();
  // Main sends the presets' words in English; the form shows them in the person's language.
  const presets = useMemo(() => presetsAsSent.map((preset) => localizedPreset(preset, t)), [presetsAsSent, t]);
  const store = useStore();
  const flash = useFlash();
  const { snapshots } = useHeadroom();
  const fields = useMemo(() => fieldsFromJsonSchema(provider.configJsonSchema), [provider]);
  const [state, setState] = useState<AccountFormState>(() => initialState(entry, provider, fields, presets));
  const [problems, setProblems] = useState<Map<string, string[]>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  // Beside the draft's state, not in it: the draft (logic/form) knows nothing of alerts beyond the rules.
  const [notifyOnRefill, setNotifyOnRefill] = useState(entry?.account.notifyOnRefill ?? false);
  const isNew = entry === null;
  const secretFields = secretFieldsOf(state, provider, presets, entry);
  // A preset names the service and how often it may be asked ("GitHub", every minute).
  const chosenPreset =
    provider.id === 'custom' ? presets.find((preset) => preset.id === state.custom.presetId) : undefined;
  const serviceName = chosenPreset?.name ?? provider.name;
  const minInterval = chosenPreset?.minIntervalMinutes ?? provider.minIntervalMinutes;
  const knownMeters = useMemo(() => {
    const fromTest = testResult?.status === 'ok' ? testResult.meters : [];
    const fromSnapshot = snapshots?.find((snapshot) => snapshot.accountId === entry?.account.id)?.meters ?? [];
    const all = new Map(
      localizedMeters(provider.id, [...fromSnapshot, ...fromTest], t).map((meter) => [
        meter.id,
        { id: meter.id, label: meter.label },
      ]),
    );
    return [...all.values()];
  }, [testResult, snapshots, entry, provider.id, t]);

  const update = (patch: Partial<AccountFormState>): void => {
    setState((current) => ({ ...current, ...patch }));
  };
  const setValue = (key: string, value: FieldValue): void => {
    setState((current) => ({ ...current, values: { ...current.values, [key]: value } }));
  };
  const setSecret = (key: string, input: AccountFormState['secrets'][string]): void => {
    setState((current) => ({ ...current, secrets: { ...current.secrets, [key]: input } }));
  };
  const changeCustom = (custom: CustomInput): void => {
    const preset = presets.find((candidate) => candidate.id === custom.presetId);
    const changedPreset = custom.presetId !== state.custom.presetId;
    // A new account's rules follow the preset's suggestion until the person changes them.
    const rulesUntouched =
      isNew && sameRules(state.rules, rulesInput(suggestedRules(provider, presets, state.custom.presetId)));
    update({
      custom: changedPreset ? { ...custom, presetValues: presetValuesFor(preset, {}) } : custom,
      secrets: changedPreset ? {} : state.secrets,
      ...(changedPreset && rulesUntouched
        ? { rules: rulesInput(suggestedRules(provider, presets, custom.presetId)) }
        : {}),
    });
  };

  const say = (message: Message<DraftProblemKey>): string => t(message.key, message.values ?? {});
  const shownFields = (): Set<string> => shownFieldsOf(state, provider, presets, fields, secretFields);

  const localDraft = (): DraftResult | null => {
    const result = draftFromForm(state, fields, entry?.account ?? null);
    const local = new Map<string, string[]>();
    for (const problem of result.problems)
      local.set(problem.field, [...(local.get(problem.field) ?? []), say(problem.message)]);
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
      const byField = problemsByField(error.problems, shownFields());
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
        const reply = await store.createAccount({
          // Written only when on: absent means off (shared/account.ts).
          account: { ...result.draft, ...(notifyOnRefill ? { notifyOnRefill: true } : {}) },
          secrets: result.secrets,
        });
        if (!reply.ok) {
          showIpcError(reply.error);
          return;
        }
        const target = { view: 'account' as const, accountId: reply.value.entry.account.id };
        flash({
          text: t('form.added', { label: reply.value.entry.account.label }),
          warnings: reply.value.warnings,
          tone: 'ok',
          at: routeHash(target),
        });
        navigate(target);
        return;
      }
      const { draft } = result;
      const patch = {
        label: draft.label,
        config: draft.config,
        enabled: draft.enabled,
        rules: draft.rules ?? null,
        intervalMinutes: draft.intervalMinutes ?? null,
        notifyOnRefill,
      };
      const reply = await store.updateAccount(
        { accountId: entry.account.id, patch, secrets: result.secrets },
        result.clears,
      );
      if (!reply.ok) {
        showIpcError(reply.error);
        return;
      }
      setState((current) => ({ ...current, secrets: {} }));
      setProblems(new Map());
      flash({
        text: t('form.saved', { label: draft.label }),
        warnings: reply.value.warnings,
        tone: 'ok',
        at: routeHash({ view: 'account', accountId: entry.account.id }),
      });
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
    const reply = await store.testConnection({
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
      const byField = problemsByField(reply.value.problems, shownFields());
      byField.delete('');
      setProblems(byField);
    }
  };

  return {
    state,
    presets,
    fields,
    problems,
    formError,
    saving,
    testing,
    testResult,
    isNew,
    secretFields,
    serviceName,
    minInterval,
    knownMeters,
    notifyOnRefill,
    setNotifyOnRefill,
    update,
    setValue,
    setSecret,
    changeCustom,
    save,
    test,
  };
}

export type AccountFormModel = ReturnType<typeof useAccountForm>;

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
