/** Replaces what `container` shows with one error notice, for a window that cannot draw the app. */
export function showPageNotice(container: HTMLElement, text: string): void {
  const message = document.createElement('p');
  message.className = 'notice error';
  message.setAttribute('role', 'alert');
  message.textContent = text;
  container.replaceChildren(message);
}
