// The map export feature's public face: the print-a-map dialog.
export { MapExportDialog } from './MapExportDialog';
