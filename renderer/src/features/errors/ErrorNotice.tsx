// How every failure with a code reaches the user (shared/errors): one sentence from the locale
// files in the UI's language, and the raw detail — a library's English message, the importer's
// specific sentence — folded behind 详情.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { unexpectedErrorCode, type OneMapErrorData } from '../../../../shared/errors';
import './errors.css';

const where = ['part', 'row', 'column', 'feature'] as const;
/** Details that pick a sentence's variant (`errors.<code>_file`) when present: the sentence then names it. */
const variants = ['file', 'featureId'] as const;

/** The sentence for an error: its location (if any) then `errors.<code>`, interpolated with its details. */
export function useErrorText(): (error: OneMapErrorData) => string {
  const { t, i18n } = useTranslation();
  return (error) => {
    const values = Object.fromEntries(Object.entries(error.details).filter(([, value]) => typeof value === 'string' || typeof value === 'number'));
    // An error without a code that says itself in both languages (a store error before it had one).
    const own = specificSentence(error, i18n.language);
    if (error.code === unexpectedErrorCode && own !== undefined) return own;
    const place = where.filter((key) => values[key] !== undefined).map((key) => t(`errors.where.${key}`, values));
    const context = variants.find((key) => values[key] !== undefined);
    const sentence = t(`errors.${error.code}`, { ...values, context, defaultValue: t('errors.unexpected') });
    return place.length === 0 ? sentence : t('errors.at', { where: place.join(t('errors.whereSeparator')), sentence });
  };
}

function specificSentence(error: OneMapErrorData, language: string): string | undefined {
  const specific = error.details[language === 'en' ? 'en' : 'zh'];
  return typeof specific === 'string' && specific !== '' ? specific : undefined;
}

/** The raw lines behind 详情: the specific sentence in the UI's language, then the technical cause — each once, none the sentence itself. */
function detailLines(error: OneMapErrorData, language: string, sentence: string): string[] {
  const technical = error.details.technical;
  const lines = [specificSentence(error, language), technical].filter((line): line is string => typeof line === 'string' && line !== '' && !sentence.includes(line));
  return lines.filter((line, index) => !lines.slice(0, index).some((earlier) => earlier.includes(line)));
}

export interface ErrorNoticeProps {
  error: OneMapErrorData;
  /** Said before the sentence (e.g. "无法使用底图包“x”："). */
  lead?: ReactNode;
  /** Said after it (e.g. "未写入任何数据。"). */
  trail?: ReactNode;
  /** Puts the sentence into a feature's own one (e.g. `(reason) => t('undo.failed', { reason })`). */
  frame?: (sentence: string) => string;
  className?: string;
  testId?: string;
}

export function ErrorNotice({ error, lead, trail, frame, className, testId }: ErrorNoticeProps) {
  const { t, i18n } = useTranslation();
  const text = useErrorText();
  const sentence = text(error);
  const lines = detailLines(error, i18n.language, sentence);
  return (
    <div role="alert" className={['error-notice', className].filter(Boolean).join(' ')} data-testid={testId} data-error-code={error.code}>
      <p className="error-sentence">
        {lead}
        {frame ? frame(sentence) : sentence}
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
