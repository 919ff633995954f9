import { crsInfo } from '../../crs';

/**
 * ESRI-style WKT for a Shapefile's .prj, as GDAL 3.6 writes it (`ogr2ogr -t_srs EPSG:4527` gives exactly
 * the zone 39 string below; GDAL, QGIS and ArcGIS read the names back as the EPSG code). Null for
 * systems a .prj cannot describe (GCJ-02, BD-09).
 */
export function esriPrj(code: string): string | null {
  const info = crsInfo(code);
  if (info.code === 'EPSG:4326') {
    return 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
  }
  const cgcs2000 =
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
  if (info.code === 'EPSG:4490') return cgcs2000;
  if (info.kind !== 'projected' || info.centralMeridian === undefined || info.zone === undefined) return null;
  const width = info.zoneWidthDegrees === 3 ? '3_Degree_' : '';
  const name = info.zonePrefix ? `CGCS2000_${width}GK_Zone_${info.zone}` : `CGCS2000_${width}GK_CM_${info.centralMeridian}E`;
  return (
    `PROJCS["${name}",${cgcs2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${info.falseEasting.toFixed(1)}],` +
    `PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${info.centralMeridian.toFixed(1)}],PARAMETER["Scale_Factor",1.0],` +
    `PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
  );
}
