export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space between the tray icon (or the screen edge) and the popover. */
const GAP = 6;

/**
 * Where the dashboard popover goes: against the taskbar or menu bar, next to the tray icon. The
 * side comes from where the icon sits in its display (menu bar at the top on macOS; the Windows
 * taskbar may be on any edge); the result stays inside the display's work area. Without usable
 * tray bounds (some Linux hosts report zeros), the popover goes to the work area's top-right corner.
 */
export function popoverPosition(args: {
  tray: Rect;
  window: { width: number; height: number };
  workArea: Rect;
  display: Rect;
}): { x: number; y: number } {
  const { tray, window, workArea, display } = args;
  const clampX = (x: number): number =>
    Math.round(Math.min(Math.max(x, workArea.x + GAP), workArea.x + workArea.width - window.width - GAP));
  const clampY = (y: number): number =>
    Math.round(Math.min(Math.max(y, workArea.y + GAP), workArea.y + workArea.height - window.height - GAP));
  if (tray.width <= 0 || tray.height <= 0)
    return { x: clampX(workArea.x + workArea.width - window.width), y: clampY(workArea.y) };
  const centerX = tray.x + tray.width / 2;
  const centerY = tray.y + tray.height / 2;
  // The taskbar is on the edge where the work area leaves room: compare its insets in the display.
  const insets = {
    top: workArea.y - display.y,
    bottom: display.y + display.height - (workArea.y + workArea.height),
    left: workArea.x - display.x,
    right: display.x + display.width - (workArea.x + workArea.width),
  };
  const edge = (Object.entries(insets) as [keyof typeof insets, number][]).reduce((best, entry) =>
    entry[1] > best[1] ? entry : best,
  )[0];
  const noInsets = Math.max(insets.top, insets.bottom, insets.left, insets.right) <= 0;
  // No inset (an auto-hiding taskbar): the icon's half of the screen says where the bar is.
  const side = noInsets ? (centerY < display.y + display.height / 2 ? 'top' : 'bottom') : edge;
  switch (side) {
    case 'top':
      return { x: clampX(centerX - window.width / 2), y: clampY(tray.y + tray.height + GAP) };
    case 'bottom':
      return { x: clampX(centerX - window.width / 2), y: clampY(tray.y - window.height - GAP) };
    case 'left':
      return { x: clampX(tray.x + tray.width + GAP), y: clampY(centerY - window.height / 2) };
    case 'right':
      return { x: clampX(tray.x - window.width - GAP), y: clampY(centerY - window.height / 2) };
  }
}
