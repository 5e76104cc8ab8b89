import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useFormat } from '../../components/format-context';
import { TimeText } from '../../components/TimeText';
import { useT } from '../../i18n/use-t';
import { activeSnooze, snoozeChoiceMessage, snoozeMessage, snoozeMinutes, SNOOZE_CHOICES } from '../../logic/snooze';

/**
 * One account's snooze: "Snooze" opens the choices (an hour, until tomorrow morning, a week); while
 * snoozed, a quiet line says until when, with a button to end it. The focus follows the change, so
 * the keyboard never lands on a button that went away.
 */
export function SnoozeControl(props: {
  label: string;
  snoozedUntil: string | null;
  now: Date;
  onSnooze: (minutes: number | null) => Promise<void>;
}) {
  const t = useT();
  const format = useFormat();
  const { now } = props;
  const until = activeSnooze(props.snoozedUntil, now);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const choicesId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const end = useRef<HTMLButtonElement>(null);
  const firstChoice = useRef<HTMLButtonElement>(null);
  /** Where the focus goes once the change shows: it was on a button the change removes. */
  const focusNext = useRef<'toggle' | 'end' | null>(null);
  const snoozed = until !== null;

  // Once main has answered (a disabled button cannot take the focus): the new button, or the one
  // still there when the change failed.
  useEffect(() => {
    if (busy || focusNext.current === null) return;
    const target = focusNext.current === 'end' ? (end.current ?? toggle.current) : (toggle.current ?? end.current);
    focusNext.current = null;
    target?.focus();
  }, [snoozed, busy]);
  useEffect(() => {
    if (open) firstChoice.current?.focus();
  }, [open]);

  const run = (minutes: number | null): void => {
    setBusy(true);
    void props.onSnooze(minutes).finally(() => {
      setBusy(false);
    });
  };

  if (until) {
    const message = snoozeMessage(until, now, format);
    return (
      <p className="snoozed">
        <TimeText at={until}>{t(message.key, message.values ?? {})}</TimeText>{' '}
        <button
          ref={end}
          type="button"
          className="link-button"
          aria-label={t('snooze.endFor', { label: props.label })}
          disabled={busy}
          onClick={() => {
            focusNext.current = 'toggle';
            run(null);
          }}
        >
          {t('snooze.end')}
        </button>
      </p>
    );
  }

  const close = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <div className="snooze" onKeyDown={close}>
      <button
        ref={toggle}
        type="button"
        className="snooze-toggle"
        aria-expanded={open}
        aria-controls={choicesId}
        aria-label={t('snooze.openFor', { label: props.label })}
        onClick={() => {
          setOpen(!open);
        }}
      >
        {t('snooze.open')}
      </button>
      {open ? (
        <div
          className="snooze-choices"
          id={choicesId}
          role="group"
          aria-label={t('snooze.choicesFor', { label: props.label })}
        >
          {SNOOZE_CHOICES.map((choice, index) => {
            const words = snoozeChoiceMessage(choice, now, format);
            return (
              <button
                key={choice}
                ref={index === 0 ? firstChoice : undefined}
                type="button"
                disabled={busy}
                onClick={() => {
                  focusNext.current = 'end';
                  setOpen(false);
                  run(snoozeMinutes(choice, new Date()));
                }}
              >
                {t(words.key, words.values ?? {})}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
