// menu.js: the console's side menu; an item is shown only to the roles that can use it
import {
  House, MapLocation, OfficeBuilding, Document, Setting, User, Stamp, Upload, Notebook, Tickets, Key, Postcard,
  DocumentChecked, Collection, Calendar, Flag, Medal,
  ShoppingCart, Present, // earning: the rewards shelf
} from '@element-plus/icons-vue';
import { Memo, Trophy } from '@element-plus/icons-vue'; // earning: standings and point rules
import { DataAnalysis, Histogram } from '@element-plus/icons-vue'; // feedback (h10-feedback)
import { Bell, Star } from '@element-plus/icons-vue'; // the lists: needs and micro-wishes
import { HomeFilled } from '@element-plus/icons-vue'; // households (户)
import { FirstAidKit } from '@element-plus/icons-vue'; // the care register
import { Checked } from '@element-plus/icons-vue'; // campaigns (入户走访)
import { AlarmClock } from '@element-plus/icons-vue'; // duty rosters (值守/值班)
import { Warning } from '@element-plus/icons-vue'; // cases (问题/诉求)
import { Mute } from '@element-plus/icons-vue'; // members gone quiet (沉寂)
import { ChatDotSquare } from '@element-plus/icons-vue'; // residents' deliberations (居民议事)

export const MENU = [
  { name: 'dashboard', path: '/', icon: House, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'members', path: '/members', icon: User, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'approvals', path: '/approvals', icon: Stamp, roles: ['admin', 'staff'] },
  { name: 'activities', path: '/activities', icon: Calendar, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'posts', path: '/posts', icon: Flag, roles: ['admin', 'org', 'staff'] },
  { name: 'teams', path: '/teams', icon: Medal, roles: ['admin', 'org', 'staff'] },
  { name: 'needs', path: '/needs', icon: Bell, roles: ['admin', 'org', 'staff'] },
  { name: 'wishes', path: '/wishes', icon: Star, roles: ['admin', 'org', 'staff'] },
  { name: 'cases', path: '/cases', icon: Warning, roles: ['admin', 'org', 'staff'] }, // cases (问题/诉求)
  { name: 'unitTasks', path: '/unit-tasks', icon: Star, roles: ['unit'] },
  { name: 'records', path: '/records', icon: DocumentChecked, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'publications', path: '/publications', icon: Memo, roles: ['admin', 'org', 'staff'] },
  // earning: the rewards shelf (爱心超市) and its redemptions
  { name: 'shelf', path: '/shelf', icon: ShoppingCart, roles: ['admin', 'staff'] },
  { name: 'redemptions', path: '/redemptions', icon: Present, roles: ['admin', 'staff'] },
  // end of the rewards shelf
  { name: 'catalog', path: '/catalog', icon: Collection, roles: ['admin', 'org', 'staff', 'unit'] },
  // earning: pages (w10-pages); staff read the rules, admin and org write them (the server says which levels)
  { name: 'standings', path: '/standings', icon: Trophy, roles: ['admin', 'org', 'staff'] },
  { name: 'pointRules', path: '/point-rules', icon: Memo, roles: ['admin', 'org', 'staff'] },
  // end of earning: pages
  { name: 'import', path: '/import', icon: Upload, roles: ['admin', 'staff', 'unit'] },
  { name: 'roster', path: '/roster', icon: Notebook, roles: ['admin', 'org', 'unit'] },
  { name: 'agreements', path: '/agreements', icon: Tickets, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'households', path: '/households', icon: HomeFilled, roles: ['admin', 'staff'] }, // households (户)
  { name: 'care', path: '/care', icon: FirstAidKit, roles: ['admin', 'staff'] }, // the care register (帮扶对象)
  { name: 'campaigns', path: '/campaigns', icon: Checked, roles: ['admin', 'org', 'staff'] }, // campaigns (入户走访)
  { name: 'duty', path: '/duty', icon: AlarmClock, roles: ['admin', 'staff'] }, // duty rosters (值守/值班)
  { name: 'deliberations', path: '/deliberations', icon: ChatDotSquare, roles: ['admin', 'staff'] }, // residents' deliberations (居民议事)
  { name: 'quiet', path: '/quiet', icon: Mute, roles: ['staff', 'unit'] }, // members gone quiet (沉寂)
  { name: 'regions', path: '/regions', icon: MapLocation, roles: ['admin', 'org', 'staff'] },
  { name: 'units', path: '/units', icon: OfficeBuilding, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'accounts', path: '/accounts', icon: Key, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'signupCode', path: '/signup-code', icon: Postcard, roles: ['staff', 'unit'] },
  { name: 'certificates', path: '/certificates', icon: Memo, roles: ['admin', 'org', 'staff'] },
  // feedback (h10-feedback): a unit's 反馈表, and an org's units ranked
  { name: 'feedback', path: '/feedback', icon: DataAnalysis, roles: ['admin', 'org', 'staff', 'unit'] },
  { name: 'unitsRanked', path: '/units-ranked', icon: Histogram, roles: ['admin', 'org'] },
  { name: 'audit', path: '/audit', icon: Document, roles: ['admin', 'org'] },
  { name: 'account', path: '/account', icon: Setting, roles: ['admin', 'org', 'staff', 'unit'] },
];

export function rolesFor(name) {
  return MENU.find((m) => m.name === name)?.roles || [];
}
