import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const layerEditorTab: SidebarTab = {
  id: 'layer-editor',
  labelKey: 'layerEditor.tab',
  order: 25,
  ...lazyPanel(() => import('./LayerEditorPanel').then((module) => module.LayerEditorPanel)),
};
