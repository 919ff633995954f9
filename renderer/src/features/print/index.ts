// The print feature's public face: the 打印 tab (vector map PDF A4–A0, county atlas, progress bulletin).
export { printTab } from './tab';
