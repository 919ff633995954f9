import { useTranslation } from 'react-i18next';
import { previousTargetSet, targetSetIdOf } from '../../../../shared/model';
import type { SidebarTab } from '../../lib/sidebar-tab';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';
import { TargetSetPicker, useChosenTargetSet } from '../targets';
import { Dashboard } from './Dashboard';

/** The chosen year's targets (the picker is shared with 目标管理), with the year before's unfinished work carried in. */
function ProgressPanel() {
  const data = useWorkbenchData();
  const { asOf, database } = useWorkspace();
  const { t } = useTranslation();
  const language = useLanguage();
  const { sets, set } = useChosenTargetSet();
  const previous = set === null ? null : previousTargetSet(sets, set);
  const targets = set === null ? data.targets : data.targets.filter((target) => targetSetIdOf(target) === set.id);
  const previousTargets = previous === null ? [] : data.targets.filter((target) => targetSetIdOf(target) === previous.id);
  return (
    <Dashboard
      targets={targets}
      layers={data.layers}
      databaseName={database.name}
      counties={data.counties}
      asOf={asOf}
      onPick={data.pick}
      {...(set === null ? {} : { heading: t('progressSet.heading', { set: localized(set.title, language) }) })}
      picker={<TargetSetPicker />}
      previousTargets={previousTargets}
      {...(previous === null ? {} : { previousYear: previous.year })}
    />
  );
}

export const progressTab: SidebarTab = { id: 'progress', labelKey: 'tabs.progress', order: 10, Panel: ProgressPanel };
