import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { noCodedValue, type CodedField, type CodedValueCount } from '../../lib/layer-state';
import { formatNumber, localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';

export interface CodedFieldFilterProps {
  /** The layer's coded fields; the first is shown first (取水井类别 for wells). */
  fields: readonly CodedField[];
  /** How many features have each value of a field (e.g. `countByCodedValue` of the features in question). */
  countOf(field: CodedField): CodedValueCount[];
  /** Field key → values kept; a field not listed keeps all. */
  filters: Readonly<Record<string, readonly string[]>>;
  /** Accessible name of the group, e.g. "水井 按属性筛选". */
  label: string;
  onChange(filters: Record<string, readonly string[]>): void;
}

/** Filter by one coded field at a time (a choice of field, then one checkbox per value with its count); filters on other fields stay. */
export function CodedFieldFilter({ fields, countOf, filters, label, onChange }: CodedFieldFilterProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const [fieldKey, setFieldKey] = useState(fields[0]?.key ?? '');
  const field = fields.find((candidate) => candidate.key === fieldKey) ?? fields[0];
  if (!field) return null;
  const counts = countOf(field);
  const kept = filters[field.key];
  const valueLabel = (value: string) =>
    value === noCodedValue ? t('codedFilter.noValue') : localized(field.values.find((option) => option.value === value)?.label ?? { zh: value, en: value }, language);
  const setKept = (next: readonly string[] | null) => {
    const rest = Object.fromEntries(Object.entries(filters).filter(([key]) => key !== field.key));
    onChange(next === null ? rest : { ...rest, [field.key]: next });
  };
  return (
    <fieldset className="coded-filter" aria-label={label}>
      <legend>{t('codedFilter.heading')}</legend>
      {fields.length > 1 && (
        <select aria-label={t('codedFilter.field')} value={field.key} onChange={(event) => setFieldKey(event.target.value)}>
          {fields.map((candidate) => (
            <option key={candidate.key} value={candidate.key}>
              {localized(candidate.label, language)}
              {filters[candidate.key] ? ` ${t('codedFilter.active')}` : ''}
            </option>
          ))}
        </select>
      )}
      {fields.length === 1 && <span className="muted">{localized(field.label, language)}</span>}
      {counts.map(({ value, count }) => (
        <label key={value} className="coded-option" data-value={value}>
          <input
            type="checkbox"
            checked={kept === undefined || kept.includes(value)}
            onChange={(event) => {
              const all = counts.map((entry) => entry.value);
              const current = kept ?? all;
              const next = event.target.checked ? [...current, value] : current.filter((candidate) => candidate !== value);
              setKept(all.every((candidate) => next.includes(candidate)) ? null : next);
            }}
          />
          {valueLabel(value)} <span className="muted">{formatNumber(count, language)}</span>
        </label>
      ))}
    </fieldset>
  );
}
