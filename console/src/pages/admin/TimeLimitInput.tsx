import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { joinDuration, splitDuration, type Basis, type DurationUnit, type TimeLimit } from '../../lib/policy-form';

const UNITS: DurationUnit[] = ['minutes', 'hours', 'days'];

/**
 * A deadline as staff say it: an amount, a unit and whether it counts calendar or working time.
 * A duration that mixes units (PT1H30M) is edited as written; the API names what is wrong.
 */
export function TimeLimitInput({
  label,
  value,
  onChange,
  disabled,
  error,
}: {
  label: string;
  value: TimeLimit;
  onChange: (value: TimeLimit) => void;
  disabled?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  const errorId = useId();
  const split = splitDuration(value.duration);
  // Typed text is kept as typed (an empty amount is not yet a duration), so state is local.
  const [amount, setAmount] = useState(split ? String(split.amount) : '');
  const [unit, setUnit] = useState<DurationUnit>(split?.unit ?? 'hours');
  const [asWritten] = useState(split === null);
  const described = error ? errorId : undefined;
  return (
    <div className={`time-limit ${error ? 'invalid' : ''}`}>
      {asWritten ? (
        <input
          aria-label={`${label}: ${t('policyForm.duration')}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          value={value.duration}
          disabled={disabled}
          size={8}
          onChange={(event) => onChange({ ...value, duration: event.target.value.trim() })}
        />
      ) : (
        <>
          <input
            type="number"
            min={0}
            step={1}
            aria-label={`${label}: ${t('policyForm.amount')}`}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            value={amount}
            disabled={disabled}
            onChange={(event) => {
              setAmount(event.target.value);
              onChange({ ...value, duration: joinDuration(event.target.value, unit) });
            }}
          />
          <select
            aria-label={`${label}: ${t('policyForm.unit')}`}
            value={unit}
            disabled={disabled}
            onChange={(event) => {
              const next = event.target.value as DurationUnit;
              setUnit(next);
              onChange({ ...value, duration: joinDuration(amount, next) });
            }}
          >
            {UNITS.map((candidate) => (
              <option key={candidate} value={candidate}>
                {t(`policyForm.units.${candidate}`)}
              </option>
            ))}
          </select>
        </>
      )}
      <select
        aria-label={`${label}: ${t('policyForm.basis')}`}
        value={value.basis}
        disabled={disabled}
        onChange={(event) => onChange({ ...value, basis: event.target.value as Basis })}
      >
        <option value="calendar">{t('policyForm.calendarTime')}</option>
        <option value="working">{t('policyForm.workingTime')}</option>
      </select>
      {error && (
        <small id={errorId} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
