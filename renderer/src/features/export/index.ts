// The export feature's public face: the layer export dialog, and the download and worker jobs map export reuses.
export { LayerExportDialog } from './LayerExportDialog';
export { LayerExportLoader } from './LayerExportLoader';
export { saveDownload } from './download';
export { localDate } from './layer-export';
export { ExportCancelled, startPdfPage, type ExportJob } from './export-client';
