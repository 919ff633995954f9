// The GPS feature's public face: the position control on the map.
export { GpsControl } from './GpsControl';
