import type { KeychainProblem, SecretStoreUnavailableError } from './secret-store';

/** What the person can do about it, in the words of their OS. */
export function keychainFix(problem: KeychainProblem, platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Unlock the login keychain in Keychain Access, then try again.';
    case 'win32':
      return 'Check that Windows Credential Manager works for your user account, then try again.';
    default:
      return problem === 'locked'
        ? 'Unlock your keyring (GNOME Keyring or KWallet, for example with Seahorse), then try again.'
        : 'Install and unlock GNOME Keyring or KWallet, then try again.';
  }
}

/** The keychain's trouble in a few words, for `SecretStoreUnavailableError.detail`. */
export function keychainTrouble(
  problem: KeychainProblem,
  platform: NodeJS.Platform = process.platform,
  detail?: string,
): string {
  switch (problem) {
    case 'no-service':
      return platform === 'linux' ? 'no Secret Service running' : 'the keychain service did not answer';
    case 'locked':
      return 'it is locked and was not unlocked';
    case 'no-answer':
      return detail ?? 'it did not answer in time';
    case 'failed':
      return detail ? `it failed: ${detail}` : 'it failed';
  }
}

export type KeychainAction = 'read' | 'save' | 'remove' | 'copy';

/**
 * "The system keychain is not available (no Secret Service running); Headroom cannot read the
 * password of 'GIS org'. Install and unlock GNOME Keyring or KWallet, then try again."
 */
export function keychainFailureMessage(
  error: SecretStoreUnavailableError,
  args: { action: KeychainAction; what: string },
  platform: NodeJS.Platform = process.platform,
): string {
  const consequence = {
    read: `Headroom cannot read ${args.what}`,
    save: `Headroom could not save ${args.what}, and did not write it anywhere else`,
    remove: `Headroom could not remove ${args.what} from it`,
    copy: `Headroom could not copy ${args.what}`,
  }[args.action];
  return `The system keychain is not available (${error.detail}); ${consequence}. ${keychainFix(error.problem, platform)}`;
}

/** "the password of 'GIS org'", "the client ID and client secret of 'Sales'" */
export function secretsOf(labels: readonly string[], accountLabel: string): string {
  const names = labels.map(fieldName);
  const list =
    names.length <= 1
      ? (names[0] ?? 'secrets')
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  return `the ${list} of '${accountLabel}'`;
}

/** A field's label inside a sentence: "Client ID" → "client ID", "Password" → "password". */
export function fieldName(label: string): string {
  return label.toLowerCase().replace(/\bid\b/g, 'ID');
}
