/** The system's languages, best first (Electron: the OS locale). */
export function systemLanguages(): readonly string[] {
  return navigator.languages.length ? navigator.languages : [navigator.language];
}
