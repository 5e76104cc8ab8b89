import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { UserCreditsSummary } from '../../../../shared/window-snapshot';
import { useFormat } from '../../components/format-context';
import { TimeText } from '../../components/TimeText';
import { useT } from '../../i18n/use-t';
import { toneClass } from '../../logic/tone-class';
import {
  MEMBER_ROWS_STEP,
  memberListRevision,
  memberRow,
  membersSummary,
  sortedMembers,
  type MemberRow,
} from '../../logic/member-credits';
import { shownList } from '../../state/member-list-loader';
import { useMemberList } from '../../state/use-member-list';

/**
 * Members' credit budgets (ArcGIS Online): a one-line summary from the snapshot, and on demand a table worst first.
 * The list itself is fetched from main when the table opens (and again when the account's snapshot changes while it is
 * open). The table draws MEMBER_ROWS_STEP rows and more on request, so a list of thousands stays quick.
 */
export function MemberCredits(props: {
  view: UserCreditsSummary;
  accountId: string;
  accountLabel: string;
  /** The account's last check: a new one while the table is open fetches the list again. */
  checkedAt: string | null;
  now: Date;
  hideReason: boolean;
}) {
  const t = useT();
  const format = useFormat();
  const { view, now } = props;
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(MEMBER_ROWS_STEP);
  const tableId = useId();
  const titleId = useId();
  const summary = membersSummary(view, format);
  const members = useMemberList(props.accountId, open ? memberListRevision(props.checkedAt, view) : null);
  const list = shownList(members.state);
  const sorted = useMemo(() => (list ? sortedMembers(list.users) : []), [list]);
  const table = useRef<HTMLTableElement>(null);
  // The last "show more" goes away with the rows it added: the focus goes to the table, not to the page.
  const [focusTable, setFocusTable] = useState(false);
  useEffect(() => {
    if (!focusTable) return;
    setFocusTable(false);
    table.current?.focus();
  }, [focusTable]);

  // The account may not read the list: the administrator note of the card says so in plain words.
  if (summary.kind === 'unavailable' && (props.hideReason || summary.reason === null)) return null;

  const say = (cell: MemberRow['assigned']): string => (typeof cell === 'string' ? cell : t(cell.key));
  const shown = sorted.slice(0, limit);
  const hidden = sorted.length - shown.length;
  return (
    <section className="members" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('members.title')}</h3>
      {summary.kind === 'unavailable' ? <p className="note">{summary.reason}</p> : null}
      {summary.kind === 'off' ? <p className="members-summary">{t(summary.message.key)}</p> : null}
      {summary.kind === 'list' ? (
        <>
          <p className={`members-summary ${toneClass(summary.level)}`}>
            {t(summary.message.key, summary.message.values ?? {})}
          </p>
          {view.note ? <p className="note">{view.note}</p> : null}
          {view.members.listed ? (
            <button
              type="button"
              className="link-button"
              aria-expanded={open}
              aria-controls={tableId}
              aria-label={t(open ? 'members.hideOf' : 'members.showOf', { label: props.accountLabel })}
              onClick={() => {
                setOpen(!open);
                setLimit(MEMBER_ROWS_STEP);
              }}
            >
              {t(open ? 'members.hide' : 'members.show')}
            </button>
          ) : null}
        </>
      ) : null}
      {open && list === null ? (
        <div id={tableId} className="members-details">
          {members.state.status === 'failed' ? (
            <div className="error-box" role="alert">
              <p className="error-kind">{t('members.loadFailed', { label: props.accountLabel })}</p>
              {/* Main explains failures in English (README, known limits): marked so for screen readers. */}
              <p className="error-message" lang="en">
                {members.state.error.message}
              </p>
              <button type="button" onClick={members.retry}>
                {t('common.retry')}
              </button>
            </div>
          ) : members.state.status === 'missing' ? (
            <p className="note">{t('members.gone', { label: props.accountLabel })}</p>
          ) : (
            <p className="note" role="status">
              {t('members.loading', { label: props.accountLabel })}
            </p>
          )}
        </div>
      ) : null}
      {open && list !== null ? (
        <div id={tableId} className="members-details" aria-busy={members.state.status === 'loading'}>
          <p className="note">
            <TimeText at={list.readAt}>
              {t('members.readAt', { time: format.relative(new Date(list.readAt), now) })}
            </TimeText>
            {list.defaultAllocation === null
              ? null
              : ` · ${t('members.defaultAllocation', { amount: format.amount(list.defaultAllocation, 'credits') })}`}
          </p>
          <table ref={table} tabIndex={-1}>
            <caption className="visually-hidden">{t('members.caption', { label: props.accountLabel })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('members.member')}</th>
                <th scope="col" className="number">
                  {t('members.assigned')}
                </th>
                <th scope="col" className="number">
                  {t('members.available')}
                </th>
                <th scope="col" className="number">
                  {t('members.percentLeft')}
                </th>
                <th scope="col">{t('members.level')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((member) => {
                const row = memberRow(member, format);
                return (
                  <tr key={row.username} className={toneClass(row.level)}>
                    <th scope="row" title={row.username}>
                      {row.name}
                    </th>
                    <td className="number">{say(row.assigned)}</td>
                    <td className="number">{say(row.available)}</td>
                    <td className="number">{row.percentLeft ?? t('members.noShare')}</td>
                    <td>
                      <span className={`level-word ${toneClass(row.level)}`}>{t(`level.${row.level}`)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {hidden > 0 ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setLimit(limit + MEMBER_ROWS_STEP);
                if (hidden <= MEMBER_ROWS_STEP) setFocusTable(true);
              }}
            >
              {t('members.showMore', {
                count: Math.min(hidden, MEMBER_ROWS_STEP),
                more: format.count(Math.min(hidden, MEMBER_ROWS_STEP)),
                hidden: format.count(hidden),
              })}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
