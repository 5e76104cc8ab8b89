/**
 * A teller of history failures that says each distinct one once: a full disk fails every check and
 * every batch the same way, and a line every few minutes would bury everything else in the log.
 * `speak` gets the error's message, and is called only the first time that message comes.
 */
export function oncePerMessage(): (error: unknown, speak: (message: string) => void) => void {
  const said = new Set<string>();
  return (error, speak) => {
    const message = error instanceof Error ? error.message : String(error);
    if (said.has(message)) return;
    said.add(message);
    speak(message);
  };
}
