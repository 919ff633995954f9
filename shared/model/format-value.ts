// One place that turns a stored value into what a person reads: allowed-value and status labels
// instead of codes, county names instead of adcodes, 是/否 instead of true/false, local date-times
// instead of ISO timestamps, numbers grouped or not as the field's format says. Every view of
// values (feature panel, history, conflict review, undo tooltip) goes through it, so the same
// value reads the same everywhere.
import type { FieldDefinition, LayerDefinition, NumberFormat } from './layer-definition';
import type { Feature } from './feature';
import type { LocalizedText } from './localized-text';

export interface ValueFormatOptions {
  /** The UI language: `en`, or Chinese for anything else. */
  language: string;
  /** The name of a county by its adcode, in the UI language (undefined when unknown). */
  countyName?: (adcode: number) => string | undefined;
  /** The time zone timestamps are shown in; the machine's own when absent. */
  timeZone?: string;
}

export const VALUE_WORDS = {
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  empty: { zh: '—', en: '—' },
  outside: { zh: '不在任何县区内', en: 'Outside every county' },
} as const satisfies Record<string, LocalizedText>;

const isEnglish = (language: string): boolean => language === 'en' || language.startsWith('en-');
const text = (value: LocalizedText, language: string): string => (isEnglish(language) ? value.en : value.zh);
const locale = (language: string): string => (isEnglish(language) ? 'en-US' : 'zh-CN');

/** A number as the field's format says: grouped (1,234.5) unless `grouping: false` (2021). */
export function formatNumberValue(value: number, language: string, format: NumberFormat = {}): string {
  return new Intl.NumberFormat(locale(language), { useGrouping: format.grouping ?? true, maximumFractionDigits: format.maximumFractionDigits ?? 2 }).format(value);
}

/** An instant (ISO timestamp) as a local date and time, e.g. 2026/12/06 16:57:01; the input itself when it is not a timestamp. */
export function formatTimestamp(value: string, options: ValueFormatOptions): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) return value;
  return new Intl.DateTimeFormat(locale(options.language), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  }).format(time);
}

/** A status value as its state's label in the layer's workflow. */
export function formatStatus(layer: LayerDefinition | undefined, value: unknown, language: string): string {
  if (value === undefined || value === null || value === '') return text(VALUE_WORDS.empty, language);
  const state = layer?.status.states.find((candidate) => candidate.value === value);
  return state ? text(state.label, language) : String(value);
}

/** A county adcode as the county's name; outside every county for null. */
export function formatCounty(value: unknown, options: ValueFormatOptions): string {
  if (value === null) return text(VALUE_WORDS.outside, options.language);
  if (typeof value !== 'number') return value === undefined || value === '' ? text(VALUE_WORDS.empty, options.language) : String(value);
  return options.countyName?.(value) ?? String(value);
}

export function formatBoolean(value: boolean, language: string): string {
  return text(value ? VALUE_WORDS.yes : VALUE_WORDS.no, language);
}

/** A value of one of a layer's fields, as the field defines it (allowed-value label, unit, number format…). */
export function formatFieldValue(field: FieldDefinition | undefined, value: unknown, options: ValueFormatOptions): string {
  const { language } = options;
  if (value === undefined || value === null || value === '') return text(VALUE_WORDS.empty, language);
  if (field === undefined) return formatUntyped(value, options);
  switch (field.type) {
    case 'enum': {
      const option = field.values.find((candidate) => candidate.value === value);
      return option ? text(option.label, language) : String(value);
    }
    case 'boolean':
      return typeof value === 'boolean' ? formatBoolean(value, language) : String(value);
    case 'integer':
    case 'number': {
      if (typeof value !== 'number') return String(value);
      const number = formatNumberValue(value, language, field.format);
      return field.unit ? `${number} ${text(field.unit, language)}` : number;
    }
    case 'date':
    case 'string':
      return String(value);
  }
}

/** A value with no field definition (a property the layer does not define): still no raw `true`. */
function formatUntyped(value: unknown, options: ValueFormatOptions): string {
  if (typeof value === 'boolean') return formatBoolean(value, options.language);
  if (typeof value === 'number') return formatNumberValue(value, options.language);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A member of a feature by its name — `status`, `county`, `demo`, `createdAt`, `updatedAt`,
 * `revision`, or a property as `properties.<key>` (the names shared/sync uses) — formatted for
 * reading. `geometry` is not handled here (the caller summarises shapes).
 */
export function formatFeatureValue(layer: LayerDefinition | undefined, member: string, value: unknown, options: ValueFormatOptions): string {
  if (member.startsWith('properties.')) {
    const key = member.slice('properties.'.length);
    return formatFieldValue(layer?.fields.find((field) => field.key === key), value, options);
  }
  if (value === undefined || value === '') return text(VALUE_WORDS.empty, options.language);
  switch (member) {
    case 'status':
      return formatStatus(layer, value, options.language);
    case 'county':
      return formatCounty(value, options);
    case 'createdAt':
    case 'updatedAt':
      return typeof value === 'string' ? formatTimestamp(value, options) : String(value);
    case 'revision':
      return typeof value === 'number' ? formatNumberValue(value, options.language, { grouping: false }) : String(value);
    default:
      return value === null ? text(VALUE_WORDS.empty, options.language) : formatUntyped(value, options);
  }
}

/** The readable code of a feature: its layer's code field when set (a feature made on a device), else its id. */
export function featureCodeOf(layer: LayerDefinition | undefined, feature: Pick<Feature, 'id' | 'properties'>): string {
  const field = layer?.featureCode?.field;
  const code = field === undefined ? undefined : feature.properties[field];
  return typeof code === 'string' && code !== '' ? code : feature.id;
}

/** What to call a feature: its display field's value (e.g. the well's name), else its readable code. */
export function featureNameOf(layer: LayerDefinition | undefined, feature: Pick<Feature, 'id' | 'properties'>): string {
  const field = layer?.displayField;
  const name = field === undefined ? undefined : feature.properties[field];
  if (typeof name === 'string' && name.trim() !== '') return name;
  if (typeof name === 'number') return String(name);
  return featureCodeOf(layer, feature);
}
