// The map export feature's public face: the print-a-map dialog.
export { MapExportDialog } from './MapExportDialog';
// The legend and file naming the print feature shares.
export { legendEntries, mapFileName, type LegendLayer } from './layout';
