import type { ParseKeys, TFunction } from 'i18next';
import { say } from '../../../../shared/i18n/engine-names';
import type { PresetInfo } from '../../../../shared/ipc';

/**
 * Words and links for the providers' fields. The config schema says what a field is; this says
 * what it is called, where a person finds the value, and what it looks like, in their language.
 * A field missing here still shows, under its own name.
 */
export interface FieldText {
  label: ParseKeys;
  help?: ParseKeys;
  /** Where the value is found or created. */
  link?: string;
  placeholder?: string;
}

const ARCGIS_ORG = 'https://www.arcgis.com/home/organization.html';

export const CONFIG_FIELD_TEXT: Readonly<Record<string, Readonly<Record<string, FieldText>>>> = {
  arcgis: {
    portalUrl: {
      label: 'fields.arcgis.portalUrl.label',
      help: 'fields.arcgis.portalUrl.help',
      link: ARCGIS_ORG,
      placeholder: 'https://www.arcgis.com',
    },
    username: { label: 'fields.arcgis.username.label', help: 'fields.arcgis.username.help' },
    creditBudget: {
      label: 'fields.arcgis.creditBudget.label',
      help: 'fields.arcgis.creditBudget.help',
      link: 'https://doc.arcgis.com/en/arcgis-online/administer/manage-credits.htm',
    },
    reportIntervalMinutes: {
      label: 'fields.arcgis.reportIntervalMinutes.label',
      help: 'fields.arcgis.reportIntervalMinutes.help',
      placeholder: '60',
    },
  },
  openexchangerates: {
    baseUrl: {
      label: 'fields.common.baseUrl.label',
      help: 'fields.common.baseUrl.help',
      placeholder: 'https://openexchangerates.org/api',
    },
  },
  deepseek: {
    baseUrl: {
      label: 'fields.common.baseUrl.label',
      help: 'fields.common.baseUrl.help',
      placeholder: 'https://api.deepseek.com',
    },
  },
  stripe: {
    baseUrl: {
      label: 'fields.common.baseUrl.label',
      help: 'fields.common.baseUrl.help',
      placeholder: 'https://api.stripe.com',
    },
  },
  insideview: {
    url: {
      label: 'fields.insideview.url.label',
      help: 'fields.insideview.url.help',
      placeholder: 'https://api.insideview.com/api/v1/usage',
    },
    tokenUrl: {
      label: 'fields.insideview.tokenUrl.label',
      help: 'fields.insideview.tokenUrl.help',
      placeholder: 'https://login.insideview.com/Auth/login/v1/token.json',
    },
    period: { label: 'fields.insideview.period.label', help: 'fields.insideview.period.help' },
  },
  spark: {
    baseUrl: {
      label: 'fields.common.baseUrl.label',
      help: 'fields.common.baseUrl.help',
      placeholder: 'https://sparkapi.com',
    },
    apiVersion: { label: 'fields.spark.apiVersion.label', help: 'fields.spark.apiVersion.help', placeholder: 'v1' },
    identityId: {
      label: 'fields.spark.identityId.label',
      help: 'fields.spark.identityId.help',
      link: 'https://sparkplatform.com/docs/api_services/developers/identities',
    },
    monthlyHitBudget: { label: 'fields.spark.monthlyHitBudget.label', help: 'fields.spark.monthlyHitBudget.help' },
  },
  openai: {
    baseUrl: {
      label: 'fields.common.baseUrl.label',
      help: 'fields.common.baseUrl.help',
      placeholder: 'https://api.openai.com/v1',
    },
    monthlyBudget: { label: 'fields.openai.monthlyBudget.label', help: 'fields.openai.monthlyBudget.help' },
  },
  anthropic: {
    baseUrl: {
      label: 'fields.common.baseUrl.label',
      help: 'fields.common.baseUrl.help',
      placeholder: 'https://api.anthropic.com',
    },
    monthlyBudget: { label: 'fields.anthropic.monthlyBudget.label', help: 'fields.anthropic.monthlyBudget.help' },
  },
  'aws-budgets': {
    accountId: {
      label: 'fields.aws-budgets.accountId.label',
      help: 'fields.aws-budgets.accountId.help',
      placeholder: '123456789012',
    },
    budgetName: {
      label: 'fields.aws-budgets.budgetName.label',
      help: 'fields.aws-budgets.budgetName.help',
      link: 'https://console.aws.amazon.com/billing/home#/budgets',
    },
    profile: { label: 'fields.aws-budgets.profile.label', help: 'fields.aws-budgets.profile.help' },
    region: {
      label: 'fields.aws-budgets.region.label',
      help: 'fields.aws-budgets.region.help',
      placeholder: 'us-east-1',
    },
    endpoint: {
      label: 'fields.aws-budgets.endpoint.label',
      help: 'fields.aws-budgets.endpoint.help',
      placeholder: 'https://budgets.amazonaws.com',
    },
  },
  demo: {
    scenario: { label: 'fields.demo.scenario.label', help: 'fields.demo.scenario.help' },
  },
};

export const SECRET_FIELD_TEXT: Readonly<Record<string, Readonly<Record<string, FieldText>>>> = {
  'aws-budgets': {
    accessKeyId: {
      label: 'fields.aws-budgets.accessKeyId.label',
      help: 'fields.aws-budgets.accessKeyId.help',
      link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
    },
    secretAccessKey: {
      label: 'fields.aws-budgets.secretAccessKey.label',
      help: 'fields.aws-budgets.secretAccessKey.help',
    },
    sessionToken: { label: 'fields.aws-budgets.sessionToken.label', help: 'fields.aws-budgets.sessionToken.help' },
  },
  arcgis: {
    password: { label: 'fields.arcgis.password.label', help: 'fields.arcgis.password.help' },
  },
  openexchangerates: {
    appId: {
      label: 'fields.openexchangerates.appId.label',
      help: 'fields.openexchangerates.appId.help',
      link: 'https://openexchangerates.org/account/app-ids',
    },
  },
  deepseek: {
    apiKey: {
      label: 'fields.deepseek.apiKey.label',
      help: 'fields.deepseek.apiKey.help',
      link: 'https://platform.deepseek.com/api_keys',
    },
  },
  stripe: {
    secretKey: {
      label: 'fields.stripe.secretKey.label',
      help: 'fields.stripe.secretKey.help',
      link: 'https://dashboard.stripe.com/apikeys',
    },
  },
  insideview: {
    accessToken: { label: 'fields.insideview.accessToken.label', help: 'fields.insideview.accessToken.help' },
    clientId: {
      label: 'fields.insideview.clientId.label',
      help: 'fields.insideview.clientId.help',
      link: 'https://kb.insideview.com/hc/en-us/articles/202092636-Authentication-and-Authorization-Overview',
    },
    clientSecret: { label: 'fields.insideview.clientSecret.label', help: 'fields.insideview.clientSecret.help' },
  },
  spark: {
    accessToken: {
      label: 'fields.spark.accessToken.label',
      help: 'fields.spark.accessToken.help',
      link: 'https://sparkplatform.com/docs/api_services/developers/billing',
    },
  },
  openai: {
    adminKey: {
      label: 'fields.openai.adminKey.label',
      help: 'fields.openai.adminKey.help',
      link: 'https://platform.openai.com/settings/organization/admin-keys',
    },
  },
  anthropic: {
    adminKey: {
      label: 'fields.anthropic.adminKey.label',
      help: 'fields.anthropic.adminKey.help',
      link: 'https://platform.claude.com/settings/admin-keys',
    },
  },
};

/** The choices of a select, in words: InsideView's period, the demo's scenario. */
export const OPTION_TEXT: Readonly<Record<string, Readonly<Record<string, ParseKeys>>>> = {
  'insideview.period': {
    day: 'fields.insideview.period.day',
    month: 'fields.insideview.period.month',
    year: 'fields.insideview.period.year',
  },
  'demo.scenario': {
    comfortable: 'fields.demo.scenario.comfortable',
    tight: 'fields.demo.scenario.tight',
    unlimited: 'fields.demo.scenario.unlimited',
    storage: 'fields.demo.scenario.storage',
  },
};

/** "creditBudget" → "Credit budget", for a field no catalog names. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A preset with its words in the person's language: the catalog's `presets.<id>` where it has them, the preset's own
 * (English) otherwise, as for a preset newer than the catalog. A field's choices are found by their place in its list.
 */
export function localizedPreset(preset: PresetInfo, t: TFunction): PresetInfo {
  const base = `presets.${preset.id}`;
  // The preset's words go through i18next: `{{secret:…}}` in them is kept as written (no such value is given).
  const text = (key: string, own: string): string => say(t, `${base}.${key}`, {}, own);
  const optional = (key: string, own: string | undefined): { help?: string } =>
    own === undefined ? {} : { help: text(key, own) };
  return {
    ...preset,
    title: text('title', preset.title),
    summary: text('summary', preset.summary),
    fields: preset.fields.map((field) => ({
      ...field,
      label: text(`fields.${field.key}.label`, field.label),
      ...optional(`fields.${field.key}.help`, field.help),
      ...(field.choices
        ? {
            choices: field.choices.map((choice, index) => ({
              ...choice,
              label: text(`fields.${field.key}.choices.${String(index)}`, choice.label),
            })),
          }
        : {}),
    })),
    secrets: preset.secrets.map((secret) => ({
      ...secret,
      label: text(`secrets.${secret.key}.label`, secret.label),
      ...optional(`secrets.${secret.key}.help`, secret.help),
    })),
  };
}
