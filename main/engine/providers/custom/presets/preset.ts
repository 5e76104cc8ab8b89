import type { AlertRules } from '../../../../../shared/rules';
import type { EndpointInput } from '../endpoint-schema';
import type { SecretField } from '../../provider';

/** A choice the settings form offers for one field of the description ("DeepL API Free" → its URL). */
export interface PresetChoice {
  label: string;
  value: string;
}

/** A field of the description the form should show for this preset, with words for a person. */
export interface PresetField {
  /** The description's field: `url`, `service`, or a header or query parameter (`headers.Accept`). */
  key: string;
  label: string;
  help?: string;
  choices?: readonly PresetChoice[];
}

/**
 * A popular usage endpoint described once: the custom provider's fields, filled in. A config
 * account uses it as `{ "provider": "custom", "config": { "preset": "<id>" } }` and may override
 * any field. Everything else here is for people: the form builds its fields from it.
 */
export interface Preset {
  id: string;
  /** The service's name as people know it (also the `service` of the description). */
  name: string;
  /** How the add-account form lists it; tells apart presets of one service ("OpenRouter: one API key"). */
  title: string;
  /** One line: what the meters show. */
  summary: string;
  /** The documentation this preset was built from. */
  docsUrl: string;
  /** Where the user finds or creates the key. */
  keysUrl: string;
  /** The secrets the placeholders name, with labels and help for the form. */
  secrets: readonly SecretField[];
  /** Non-secret fields worth showing (a host to choose, an address to change). */
  fields: readonly PresetField[];
  /** Rules that suit the meters (money meters need absolute ones); the form proposes them. */
  suggestedRules?: AlertRules;
  /** The description, without `preset` and `secrets` (those come from the fields above). */
  endpoint: Omit<EndpointInput, 'preset' | 'secrets'>;
}
