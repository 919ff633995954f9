import type { FeatureFacts } from '../../../shared/model/feature';
import type { Geometry } from '../../../shared/model/geometry';
import { layerDefinitionSchema } from '../../../shared/model/layer-definition';
import { targetSchema, type TargetInput } from '../../../shared/model/target';
import { cellPolygon, meridianRadius, smallCellArea } from '../geo/ellipsoid-reference';

export const TAOCHENG = 131102;
export const JIZHOU = 131103;
export const ZAOQIANG = 131121;

let sequence = 0;
export function fact(layerId: string, status: string, county: number | null, properties: FeatureFacts['properties'], geometry?: Geometry): FeatureFacts {
  sequence += 1;
  return {
    id: `F-${String(sequence).padStart(2, '0')}`,
    layerId,
    status,
    county,
    properties,
    geometry: geometry ?? { type: 'Point', coordinates: [115.7, 37.7] },
  };
}

const year = { startDate: '2021-01-01', deadline: '2021-12-31' };
const quote = { text: '词', sentence: '词。', source: 'test' };
export const target = (input: Omit<TargetInput, 'startDate' | 'deadline' | 'quote' | 'title' | 'unit'> & Partial<TargetInput>) =>
  targetSchema.parse({ ...year, quote, title: { zh: '目标', en: 'Target' }, unit: { zh: '个', en: 'items' }, ...input });

// ---- Wells: 8 hand-made wells. Done = sealed or verified, non-agricultural only.
export const wellsLayer = layerDefinitionSchema.parse({
  id: 'wells',
  name: { zh: '井', en: 'Wells' },
  geometryType: 'Point',
  fields: [
    { key: 'wellClass', type: 'enum', required: true, label: { zh: '类', en: 'Class' }, values: [{ value: 'non-agricultural', label: { zh: '非农', en: 'Non-agri' } }, { value: 'agricultural', label: { zh: '农', en: 'Agri' } }] },
    { key: 'plannedDate', type: 'date', required: false, label: { zh: '计划', en: 'Planned' } },
    { key: 'sealedDate', type: 'date', required: false, label: { zh: '封填', en: 'Sealed' } },
  ],
  status: {
    label: { zh: '状态', en: 'Status' },
    states: ['registered', 'scheduled', 'substitute-connected', 'sealed', 'verified'].map((value) => ({ value, label: { zh: value, en: value } })),
    initial: 'registered',
    transitions: [],
  },
  schedule: { plannedDateField: 'plannedDate', doneStatuses: ['sealed', 'verified'] },
});
const nonAgri = 'non-agricultural';
export const wells = {
  sealedInJanuary: fact('wells', 'sealed', TAOCHENG, { wellClass: nonAgri, plannedDate: '2021-01-20', sealedDate: '2021-01-15' }),
  verifiedInMarch: fact('wells', 'verified', TAOCHENG, { wellClass: nonAgri, sealedDate: '2021-03-02' }),
  overdueSinceMay: fact('wells', 'scheduled', TAOCHENG, { wellClass: nonAgri, plannedDate: '2021-05-01' }),
  dueOnAsOf: fact('wells', 'scheduled', JIZHOU, { wellClass: nonAgri, plannedDate: '2021-06-30' }),
  connectedOverdue: fact('wells', 'substitute-connected', JIZHOU, { wellClass: nonAgri, plannedDate: '2021-02-10' }),
  sealedLateInMarch: fact('wells', 'sealed', JIZHOU, { wellClass: nonAgri, plannedDate: '2021-03-01', sealedDate: '2021-03-20' }),
  agricultural: fact('wells', 'scheduled', JIZHOU, { wellClass: 'agricultural', plannedDate: '2021-02-01' }),
  noCounty: fact('wells', 'registered', null, { wellClass: nonAgri }),
  sealedUndated: fact('wells', 'sealed', ZAOQIANG, { wellClass: nonAgri }),
  otherLayer: fact('parks', 'sealed', TAOCHENG, { wellClass: nonAgri, sealedDate: '2021-01-05' }),
};
export const allWells = Object.values(wells);
export const wellClosure = target({
  id: 'wells',
  quantity: 10,
  layerId: 'wells',
  metric: { kind: 'count', scope: { where: [{ field: 'wellClass', in: [nonAgri] }] }, done: { statuses: ['sealed', 'verified'] } },
  completionDateField: 'sealedDate',
});

// ---- Farmland: cells of 0.01° × 0.01° at ~37.7° N; areas from M·N·cos φ (tests/unit/geo/ellipsoid-reference.ts).
export const cellMu = (west: number, south: number, size = 0.01) => smallCellArea(west, south, size, size) / (10_000 / 15);
export const farmland = {
  completedTaocheng: fact('farmland', 'completed', TAOCHENG, { kind: 'hs', completedDate: '2021-04-10' }, cellPolygon(115.70, 37.70, 0.01, 0.01)),
  acceptedJizhou: fact('farmland', 'accepted', JIZHOU, { kind: 'hs', completedDate: '2021-05-20' }, cellPolygon(115.50, 37.55, 0.01, 0.01)),
  plannedJizhou: fact('farmland', 'planned', JIZHOU, { kind: 'hs' }, cellPolygon(115.52, 37.55, 0.02, 0.02)),
  zone: fact('farmland', 'completed', TAOCHENG, { kind: 'zone', completedDate: '2021-06-01' }, cellPolygon(115.60, 37.60, 0.005, 0.005)),
};
export const farmlandLayerId = 'farmland';

// ---- Roads: a 0.02° meridian line (2 × M·0.01° at 37.70 and 37.71) and a 0.01° one.
export const meridianKm = (southLatitude: number, steps: number) => {
  let meters = 0;
  for (let step = 0; step < steps; step++) meters += meridianRadius(southLatitude + 0.005 + step * 0.01) * 0.01 * (Math.PI / 180);
  return meters / 1000;
};
export const roads = {
  completed: fact('roads', 'completed', TAOCHENG, { completedDate: '2021-06-15' }, { type: 'LineString', coordinates: [[115.7, 37.70], [115.7, 37.71], [115.7, 37.72]] }),
  planned: fact('roads', 'planned', JIZHOU, {}, { type: 'LineString', coordinates: [[115.5, 37.50], [115.5, 37.51]] }),
};

// ---- Villages with toilets.
export const villages = [
  fact('villages', 'untreated', TAOCHENG, { toiletsPlanned: 15, toiletsConverted: 10 }),
  fact('villages', 'treated', JIZHOU, { toiletsPlanned: 25, toiletsConverted: 20 }),
  fact('villages', 'untreated', JIZHOU, { toiletsPlanned: 5 }),
  fact('villages', 'untreated', JIZHOU, { toiletsPlanned: 7, toiletsConverted: 'seven' }),
];
