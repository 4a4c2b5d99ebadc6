import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, sendJson } from '../api/client';
import type { Schemas } from '../api/schemas';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';

type Templates = Schemas['NotificationTemplates'];
type Template = Templates['items'][number];
type Language = 'zh-CN' | 'en';
const QUERY = ['admin', 'notification-templates'];

/**
 * The wording of each notification in zh-CN and en: the group's own where it wrote one, else the
 * shipped one. The variables it may use are listed, and a preview with sample values follows
 * every change, with the API's refusal (an unknown variable) shown at the field.
 */
export function TemplatesAdmin() {
  const { t } = useTranslation();
  const templates = useQuery({
    queryKey: QUERY,
    queryFn: () => getJson<Templates>('/v1/admin/notification-templates'),
  });
  const [name, setName] = useState('receipt');
  const [language, setLanguage] = useState<Language>('zh-CN');
  const template = templates.data?.items.find((item) => item.template === name);
  return (
    <div className="templates-admin">
      <ProblemAlert error={templates.error} />
      <p>
        <label>
          {t('templates.template')}{' '}
          <select name="template" value={name} onChange={(event) => setName(event.target.value)}>
            {templates.data?.items.map((item) => (
              <option key={item.template} value={item.template}>
                {item.template}
                {Object.keys(item.group).length > 0 ? ` · ${t('templates.own')}` : ''}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('templates.language')}{' '}
          <select name="language" value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
      </p>
      {template && <Wording key={`${name}:${language}`} template={template} language={language} />}
    </div>
  );
}

function Wording({ template, language }: { template: Template; language: Language }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const own = template.group[language];
  const start = own ?? template.shipped[language];
  const [subject, setSubject] = useState(start?.subject ?? '');
  const [text, setText] = useState(start?.text ?? '');
  const [typed, setTyped] = useState({ subject, text });
  // The preview follows the typing, a moment after it pauses.
  useEffect(() => {
    const timer = setTimeout(() => setTyped({ subject, text }), 300);
    return () => clearTimeout(timer);
  }, [subject, text]);
  const preview = useQuery({
    queryKey: ['template-preview', template.template, language, typed],
    queryFn: () =>
      sendJson<{ subject: string; text: string }>('POST', '/v1/admin/notification-templates/preview', {
        template: template.template,
        language,
        ...typed,
      }),
    placeholderData: keepPreviousData,
    retry: false,
    enabled: typed.subject !== '' && typed.text !== '',
  });
  const path = `/v1/admin/notification-templates/${template.template}/${language}`;
  const save = useMutation({
    mutationFn: () => sendJson('PUT', path, { subject, text }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: QUERY }),
  });
  const reset = useMutation({
    mutationFn: () => sendJson('DELETE', path),
    onSuccess: async () => {
      setSubject(template.shipped[language]?.subject ?? '');
      setText(template.shipped[language]?.text ?? '');
      await queryClient.invalidateQueries({ queryKey: QUERY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const error = save.error ?? preview.error;
  return (
    <form onSubmit={submit} className="card" aria-label={t('templates.edit')}>
      <p className="hint">
        {own ? t('templates.usingOwn') : t('templates.usingShipped')} {t('templates.variables')}:{' '}
        {template.variables.map((variable) => (
          <code key={variable} className="variable">{`{${variable}}`}</code>
        ))}
      </p>
      <Field
        label={t('templates.subject')}
        error={fieldError(error, `wording.${template.template}.${language}.subject`)}
      >
        <input
          name="subject"
          value={subject}
          maxLength={200}
          onChange={(event) => setSubject(event.target.value)}
          required
        />
      </Field>
      <Field label={t('templates.text')} error={fieldError(error, `wording.${template.template}.${language}.text`)}>
        <textarea
          name="text"
          value={text}
          rows={4}
          maxLength={2000}
          onChange={(event) => setText(event.target.value)}
          required
        />
      </Field>
      <section aria-label={t('templates.preview')} className="template-preview">
        <h3>{t('templates.preview')}</h3>
        {preview.data && (
          <>
            <p>
              <strong data-testid="preview-subject">{preview.data.subject}</strong>
            </p>
            <p data-testid="preview-text">{preview.data.text}</p>
          </>
        )}
      </section>
      <ProblemAlert
        error={error}
        shownFields={[
          `wording.${template.template}.${language}.subject`,
          `wording.${template.template}.${language}.text`,
        ]}
      />
      {save.isSuccess && <p role="status">{t('common.saved')}</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>{' '}
      {own && (
        <button type="button" onClick={() => reset.mutate()} disabled={reset.isPending}>
          {t('templates.reset')}
        </button>
      )}
    </form>
  );
}
