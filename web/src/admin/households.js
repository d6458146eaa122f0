// households.js: how a dwelling is lived in (住人 / 空置 / 未核实) and the colours BuildingGrid shows it in
export const OCCUPANCIES = ['lived', 'vacant', 'unknown'];

// Contrast of white on the first two is above 4.5:1; 未核实 is light with a dashed edge, so it reads without colour too.
const LOOK = {
  lived: { color: '#1e7b3c', text: '#ffffff' },
  vacant: { color: '#9a4f00', text: '#ffffff' },
  unknown: { color: '#eef0f4', text: '#303133', dashed: true },
};

// The legend of BuildingGrid by occupancy; t: the i18n function.
export const occupancyLegend = (t) => OCCUPANCIES.map((o) => ({ value: o, label: t(`household.occupancy.${o}`), ...LOOK[o] }));
export const occupancyOf = (h) => h.occupancy;
