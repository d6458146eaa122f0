// features.js: the home tiles, one set for members and one for residents: 报到 is open, the others lead to 即将开放
export const MEMBER_FEATURES = ['report', 'activity', 'wish', 'points'];
export const RESIDENT_FEATURES = ['mywish', 'appeal', 'activity', 'help'];
export const FEATURE_ICONS = {
  report: 'flag-o', activity: 'calendar-o', wish: 'gift-o', points: 'medal-o', mywish: 'gift-o', appeal: 'comment-o',
  help: 'friends-o',
};
// Services that are open, and where their tile leads; the others show 即将开放.
export const FEATURE_LINKS = { report: '/report' };
export const featureLink = (f) => FEATURE_LINKS[f] || `/soon/${f}`;
