// The line under a target's headline: what the map's features behind the number are. It speaks
// of the metric's own scope (a sum of a field, an area, a count) so it never reads as a second,
// contradicting "done / total" next to the report's quantity.
import type { TFunction } from 'i18next';
import type { FieldCondition, LayerDefinition, Target } from '../../../../shared/model';
import type { TargetProgress } from '../../../../shared/analysis';
import { formatNumber, localized } from '../../lib/localize';

function conditionsText(conditions: readonly FieldCondition[], layer: LayerDefinition, language: string, t: TFunction): string {
  return conditions
    .map((condition) => {
      const field = layer.fields.find((candidate) => candidate.key === condition.field);
      const values = condition.in.map((value) => {
        if (field?.type === 'enum') return localized(field.values.find((option) => option.value === value)?.label ?? { zh: String(value), en: String(value) }, language);
        if (typeof value === 'boolean') return t(value ? 'feature.yes' : 'feature.no');
        return String(value);
      });
      return t('targetScope.condition', { field: field ? localized(field.label, language) : condition.field, values: values.join(t('targetScope.valueSeparator')) });
    })
    .join(t('targetScope.conditionSeparator'));
}

function scopeText(target: Target, layer: LayerDefinition, language: string, t: TFunction): string {
  const parts: string[] = [];
  if (target.metric.scope.where.length > 0) parts.push(conditionsText(target.metric.scope.where, layer, language, t));
  const range = target.metric.scope.areaMu;
  if (range) parts.push(t('targetScope.areaRange', { min: formatNumber(range.min ?? 0, language), max: range.max === undefined ? '∞' : formatNumber(range.max, language) }));
  return parts.length === 0 ? t('targetScope.wholeLayer') : parts.join(t('targetScope.conditionSeparator'));
}

function doneRuleText(target: Target, layer: LayerDefinition, language: string, t: TFunction): string {
  const parts: string[] = [];
  const statuses = target.metric.done.statuses;
  if (statuses && statuses.length > 0) {
    const labels = statuses.map((value) => localized(layer.status.states.find((state) => state.value === value)?.label ?? { zh: value, en: value }, language));
    parts.push(t('targetScope.doneStatuses', { statuses: labels.join(t('targetScope.valueSeparator')) }));
  }
  if (target.metric.done.where.length > 0) parts.push(conditionsText(target.metric.done.where, layer, language, t));
  return parts.length === 0 ? t('targetScope.doneAll') : parts.join(t('targetScope.conditionSeparator'));
}

export function targetScopeLine(target: Target, layer: LayerDefinition, progress: TargetProgress, language: string, t: TFunction): string {
  const metric = target.metric;
  const unit = localized(target.unit, language);
  const scope = scopeText(target, layer, language, t);
  const features = formatNumber(progress.featuresInScope, language);
  if (metric.kind === 'sum') {
    const label = (key: string) => {
      const field = layer.fields.find((candidate) => candidate.key === key);
      return field ? localized(field.label, language) : key;
    };
    const summed = t('targetScope.sum', { field: label(metric.field), features, scope });
    return metric.scopeField === undefined
      ? summed
      : summed + t('targetScope.sumPlanned', { field: label(metric.scopeField), value: formatNumber(progress.scope, language, 1), unit });
  }
  const doneRule = doneRuleText(target, layer, language, t);
  const done = formatNumber(progress.featuresDone, language);
  if (metric.kind === 'count') return t('targetScope.count', { features, scope, done, doneRule });
  return t('targetScope.measure', {
    features,
    scope,
    scopeValue: formatNumber(progress.scope, language, 1),
    done,
    doneRule,
    doneValue: formatNumber(progress.done, language, 1),
    unit: metric.kind === 'area-mu' ? t('targetScope.mu') : t('targetScope.km'),
  });
}
