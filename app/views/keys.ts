/** A field that uses the arrow keys itself (a slider, a menu, a text box). */
export const isEditing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));

/** ...or a button, which Space presses. */
export const isTyping = (t: EventTarget | null): boolean => isEditing(t) || (t instanceof HTMLElement && t.tagName === 'BUTTON');
