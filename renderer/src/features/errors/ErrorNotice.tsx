// How every failure with a code reaches the user (shared/errors): one sentence from the locale
// files in the UI's language, and the raw detail — a library's English message, the importer's
// specific sentence — folded behind 详情.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OneMapErrorData } from '../../../../shared/errors';
import './errors.css';

const where = ['part', 'row', 'column', 'feature'] as const;

/** The sentence for an error: its location (if any) then `errors.<code>`, interpolated with its details. */
export function useErrorText(): (error: OneMapErrorData) => string {
  const { t } = useTranslation();
  return (error) => {
    const values = Object.fromEntries(Object.entries(error.details).filter(([, value]) => typeof value === 'string' || typeof value === 'number'));
    const place = where.filter((key) => values[key] !== undefined).map((key) => t(`errors.where.${key}`, values));
    const sentence = t(`errors.${error.code}`, { ...values, defaultValue: t('errors.unexpected') });
    return place.length === 0 ? sentence : t('errors.at', { where: place.join(t('errors.whereSeparator')), sentence });
  };
}

/** The raw lines behind 详情: the specific sentence in the UI's language, then the technical cause. */
function detailLines(error: OneMapErrorData, language: string): string[] {
  const specific = error.details[language === 'en' ? 'en' : 'zh'];
  const technical = error.details.technical;
  const lines = [specific, technical].filter((line): line is string => typeof line === 'string' && line !== '');
  return lines.filter((line, index) => !lines.slice(0, index).some((earlier) => earlier.includes(line)));
}

export interface ErrorNoticeProps {
  error: OneMapErrorData;
  /** Said before the sentence (e.g. "无法使用底图包“x”："). */
  lead?: ReactNode;
  /** Said after it (e.g. "未写入任何数据。"). */
  trail?: ReactNode;
  className?: string;
  testId?: string;
}

export function ErrorNotice({ error, lead, trail, className, testId }: ErrorNoticeProps) {
  const { t, i18n } = useTranslation();
  const text = useErrorText();
  const lines = detailLines(error, i18n.language);
  return (
    <div role="alert" className={['error-notice', className].filter(Boolean).join(' ')} data-testid={testId} data-error-code={error.code}>
      <p className="error-sentence">
        {lead}
        {text(error)}
        {trail && <> {trail}</>}
      </p>
      {lines.length > 0 && (
        <details className="error-details">
          <summary>{t('errors.details')}</summary>
          {lines.map((line, index) => (
            <pre key={index}>{line}</pre>
          ))}
        </details>
      )}
    </div>
  );
}
