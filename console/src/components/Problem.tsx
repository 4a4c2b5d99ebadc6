import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';

/** The error of a form or a page: the problem's detail, and every invalid field not shown beside its input. */
export function ProblemAlert({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ApiProblem)) {
    return (
      <div role="alert" className="problem">
        {error instanceof Error ? error.message : t('common.error')}
      </div>
    );
  }
  const others = error.invalidParams.filter((param) => !shownFields.includes(param.name));
  return (
    <div role="alert" className="problem" data-problem-type={error.type}>
      <strong>
        {error.title}
        {error.status ? ` (${error.status})` : ''}
      </strong>
      {error.detail && <p>{error.detail}</p>}
      {others.length > 0 && (
        <ul>
          {others.map((param) => (
            <li key={param.name}>
              <code>{param.name}</code>: {param.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The API's reason for one field, if the last answer named it. */
export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiProblem ? error.fieldError(name) : undefined;
}

/**
 * The API's reason for a field or anything inside it (`severities.general.firstReply` answers for
 * `severities.general.firstReply.duration` too): a form shows one control for a group of fields.
 */
export function fieldErrorUnder(error: unknown, prefix: string): string | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  return error.invalidParams.find((param) => param.name === prefix || param.name.startsWith(`${prefix}.`))?.reason;
}

/** The names of the last answer's invalid fields that a form shows beside a control (see fieldErrorUnder). */
export function namesUnder(error: unknown, prefixes: string[]): string[] {
  if (!(error instanceof ApiProblem)) return [];
  return error.invalidParams
    .map((param) => param.name)
    .filter((name) => prefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`)));
}
