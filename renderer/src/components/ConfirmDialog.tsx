import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/use-t';

/**
 * A modal question with the native <dialog>: focus stays inside, Escape cancels, and the safe
 * answer has the focus first.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const { onCancel } = props;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    cancel.current?.focus();
    const onClose = (): void => {
      onCancel();
    };
    element.addEventListener('cancel', onClose);
    return () => {
      element.removeEventListener('cancel', onClose);
      if (element.open) element.close();
    };
  }, [onCancel]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="dialog-title" aria-describedby="dialog-body">
      <h2 id="dialog-title">{props.title}</h2>
      <div id="dialog-body">{props.children}</div>
      <div className="actions">
        <button type="button" ref={cancel} onClick={props.onCancel} disabled={props.busy}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          onClick={props.onConfirm}
          disabled={props.busy}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
