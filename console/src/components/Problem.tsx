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
