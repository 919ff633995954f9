import type { WorkspaceDefinition } from '../shared/workspace/definition';
import { DEMO_AS_OF } from './generator/rules';

/**
 * The embedded default workspace: Hengshui (衡水市), its store the database `onemap`, its
 * basemap the committed files in geodata/, its extent a little around the city (drives CRS
 * detection of imports). Another city is the same kind of data (a workspace made in the app).
 */
export const hengshuiWorkspace: WorkspaceDefinition = {
  id: 'hengshui',
  name: { zh: '衡水市', en: 'Hengshui' },
  database: 'onemap',
  extent: [115.1, 37.0, 116.7, 38.5],
  basemap: {
    kind: 'bundled',
    files: {
      counties: 'hengshui-counties.geojson',
      city: 'hengshui-city.geojson',
      lakes: 'hengshui-lakes.geojson',
      rivers: 'hengshui-rivers.geojson',
      seats: 'hengshui-seats.geojson',
      attribution: 'attribution.json',
    },
  },
  asOf: DEMO_AS_OF,
  createdAt: '2021-01-01T00:00:00.000Z',
};
