// Printing (issue 18): vector PDF map pages A4–A0, the county atlas, the monthly progress bulletin
// (PDF and .docx). Pure: the app's print worker and the Node tests run the same code.
export * from './paper';
export * from './projection';
export * from './geometry';
export * from './surface';
export * from './map-page';
export * from './pdf-document';
export * from './table';
export * from './bulletin';
export * from './bulletin-document';
export * from './bulletin-pdf';
export * from './bulletin-docx';
export * from './atlas';
