import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Deadline, DeadlineName } from '../api/types';
import { remaining } from '../lib/countdown';

let listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/** The current time, ticking once a second, one timer for every countdown on the page. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    listeners.add(setNow);
    timer ??= setInterval(() => listeners.forEach((listener) => listener(Date.now())), 1000);
    return () => {
      listeners.delete(setNow);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
        listeners = new Set();
      }
    };
  }, []);
  return now;
}

/** A live countdown to a deadline, red once it has passed. */
export function Countdown({ name, dueAt, state }: { name?: DeadlineName; dueAt: string | null; state?: Deadline }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const label = name ? `${t(`deadline.${name}`)}: ` : '';
  if (state?.met) return <span className="countdown met">{label + t('deadline.met')}</span>;
  if (state?.paused) return <span className="countdown paused">{label + t('deadline.paused')}</span>;
  if (!dueAt) return <span className="countdown">{label + t('deadline.none')}</span>;
  const left = remaining(dueAt, now);
  const due = new Date(dueAt).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <time
      dateTime={dueAt}
      title={due}
      className={`countdown ${left.overdue ? 'overdue' : left.ms < 3_600_000 ? 'soon' : ''}`}
      data-overdue={left.overdue || undefined}
    >
      {label}
      {left.overdue ? t('deadline.over', { time: left.text }) : t('deadline.left', { time: left.text })}
    </time>
  );
}
