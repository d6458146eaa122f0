// campaigns.js (console): door-to-door campaigns (入户行动): a door's state in words and the colours BuildingGrid shows it in,
// how far a tally has come, the words of a walker suggestion
export const DOOR_STATES = ['todo', 'visited', 'absent', 'declined', 'empty'];
export const CAMPAIGN_STATES = ['draft', 'active', 'closed'];

// White on the four marked colours is above 4.5:1; 未走访 is light with a dashed edge, so it reads without colour too.
const LOOK = {
  todo: { color: '#eef0f4', text: '#303133', dashed: true },
  visited: { color: '#1e7b3c', text: '#ffffff' },
  absent: { color: '#a34f00', text: '#ffffff' },
  declined: { color: '#b42318', text: '#ffffff' },
  empty: { color: '#4b5b70', text: '#ffffff' },
};

// The legend of BuildingGrid by door state; t: the i18n function.
export const doorLegend = (t) => DOOR_STATES.map((s) => ({ value: s, label: t(`campaign.door.${s}`), ...LOOK[s] }));
export const doorStateOf = (h) => h.state;
// GET …/doors doors as BuildingGrid's households.
export const doorsAsHouseholds = (doors) => (doors || []).map((d) => ({ id: d.household_id, unit_no: d.unit_no, floor: d.floor, room: d.room, state: d.state }));

// Percentage of households with a final mark (已走访, 拒绝, 空置); 0 with none.
export const percentOf = (tally) => (tally?.households ? Math.floor((tally.final * 100) / tally.households) : 0);
export const stateTone = (s) => ({ draft: 'info', active: 'success', closed: 'warning' }[s] || 'info');
