// features.js: the service tiles on the mobile home page (filled by later issues)
export const FEATURES = ['report', 'activity', 'wish', 'points'];
export const FEATURE_ICONS = { report: 'flag-o', activity: 'calendar-o', wish: 'gift-o', points: 'medal-o' };
// Services that are open, and where their tile leads; the others show 即将开放.
export const FEATURE_LINKS = { report: '/report' };
export const featureLink = (f) => FEATURE_LINKS[f] || `/soon/${f}`;
