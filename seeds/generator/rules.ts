/** The fixed seed of the demo data (the report was delivered on 2021-02-01). */
export const DEMO_SEED = 20210201;

/** The day the demo data describes: mid-2021. */
export const DEMO_AS_OF = '2021-06-30';

export const NON_AGRICULTURAL_WELL_COUNT = 1285;
export const AGRICULTURAL_WELL_COUNT = 1500;
export const SEWAGE_TARGET_VILLAGES = 305;
export const TOILETS_PLANNED_2021 = 60_000;
export const HOLLOW_VILLAGES_2021 = 98;
export const BEAUTIFUL_VILLAGES_2021 = 100;
export const HIGH_STANDARD_FARMLAND_MU = 400_000;

/** The city district: most wells and pocket parks are here. */
export const CITY_DISTRICT_ADCODE = 131102;
