import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

// The coverage view shows the parks and its own drawing of the residents, nothing else.
export const coverageTab: SidebarTab = { id: 'coverage', labelKey: 'tabs.coverage', order: 30, ...lazyPanel(() => import('./CoverageTabPanel').then((module) => module.CoverageTabPanel)), mapLayers: ['pocket-parks'], showsCoverage: true };
