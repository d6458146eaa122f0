// router.js (console): routes under /admin/, the login guard and per-role access
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '../shared/session.js';
import { t } from '../shared/i18n.js';
import { rolesFor } from './menu.js';
import ConsoleLayout from './layouts/ConsoleLayout.vue';

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: 'login.title' } },
  { path: '/mobile-only', name: 'mobile-only', component: () => import('./views/MobileOnlyView.vue'), meta: { title: 'mobileOnly.title', anyRole: true } },
  { path: '/first-password', name: 'first-password', component: () => import('./views/FirstPasswordView.vue'), meta: { title: 'password.firstTitle', anyRole: true } },
  { path: '/unavailable', name: 'unavailable', component: () => import('./views/UnavailableView.vue'), meta: { public: true, title: 'unavailable.title' } },
  // 签到大屏: the whole screen, without the console's menu and header.
  // 公示海报 for the 党务公开栏: the page alone, to print A4 or A3.
  { path: '/publications/:id(\\d+)/poster', name: 'publication-poster', component: () => import('./views/PublicationPosterView.vue'), meta: { title: 'publication.poster.title', roles: rolesFor('publications') } },
  { path: '/activities/:id(\\d+)/screen', name: 'activity-screen', component: () => import('./views/ActivityScreenView.vue'), meta: { title: 'screen.title', roles: rolesFor('activities') } },
  // 大屏 for a meeting room and the monthly report form to print: the page alone, without the console's menu and header.
  { path: '/screen', name: 'region-screen', component: () => import('./views/RegionScreenView.vue'), meta: { title: 'bigScreen.pageTitle', roles: ['admin', 'org', 'staff'] } },
  { path: '/report/monthly', name: 'monthly-report', component: () => import('./views/MonthlyReportView.vue'), meta: { title: 'monthlyReport.pageTitle', roles: ['admin', 'org', 'staff'] } },
  // 志愿服务证明 to print: the A4 page alone, without the console's menu and header.
  { path: '/certificates/:id(\\d+)/print', name: 'certificate-print', component: () => import('./views/CertificatePrintView.vue'), meta: { title: 'certificates.printTitle', roles: rolesFor('certificates') } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: 'menu.dashboard', roles: rolesFor('dashboard') } },
      { path: 'members', name: 'members', component: () => import('./views/MembersView.vue'), meta: { title: 'menu.members', roles: rolesFor('members') } },
      { path: 'members/:id(\\d+)', name: 'member', component: () => import('./views/MemberView.vue'), meta: { title: 'member.title', roles: rolesFor('members'), menu: '/members' } },
      { path: 'members/:id(\\d+)/receipt', name: 'receipt', component: () => import('./views/ReceiptView.vue'), meta: { title: 'receipt.pageTitle', roles: rolesFor('members'), menu: '/members' } },
      { path: 'approvals', name: 'approvals', component: () => import('./views/ApprovalsView.vue'), meta: { title: 'menu.approvals', roles: rolesFor('approvals') } },
      { path: 'activities', name: 'activities', component: () => import('./views/ActivitiesView.vue'), meta: { title: 'menu.activities', roles: rolesFor('activities') } },
      { path: 'activities/:id(\\d+)', name: 'activity', component: () => import('./views/ActivityView.vue'), meta: { title: 'activity.title', roles: rolesFor('activities'), menu: '/activities' } },
      { path: 'activities/:id(\\d+)/sheet', name: 'activity-sheet', component: () => import('./views/ActivitySheetView.vue'), meta: { title: 'attSheet.title', roles: rolesFor('activities'), menu: '/activities' } },
      { path: 'posts', name: 'posts', component: () => import('./views/PostsView.vue'), meta: { title: 'menu.posts', roles: rolesFor('posts') } },
      { path: 'posts/claims', name: 'post-claims', component: () => import('./views/PostClaimsView.vue'), meta: { title: 'posts.claimsTitle', roles: rolesFor('posts'), menu: '/posts' } },
      { path: 'needs', name: 'needs', component: () => import('./views/NeedsView.vue'), meta: { title: 'menu.needs', roles: rolesFor('needs') } },
      { path: 'cases', name: 'cases', component: () => import('./views/CasesView.vue'), meta: { title: 'menu.cases', roles: rolesFor('cases') } }, // cases (问题/诉求)
      { path: 'teams', name: 'teams', component: () => import('./views/TeamsView.vue'), meta: { title: 'menu.teams', roles: rolesFor('teams') } },
      { path: 'teams/:id(\\d+)', name: 'team', component: () => import('./views/TeamView.vue'), meta: { title: 'teams.title', roles: rolesFor('teams'), menu: '/teams' } },
      { path: 'wishes', name: 'wishes', component: () => import('./views/WishesView.vue'), meta: { title: 'menu.wishes', roles: rolesFor('wishes') } }, // wish pages
      { path: 'records', name: 'records', component: () => import('./views/RecordsView.vue'), meta: { title: 'menu.records', roles: rolesFor('records') } },
      { path: 'records/requests', name: 'record-requests', component: () => import('./views/RecordRequestsView.vue'), meta: { title: 'requests.title', roles: rolesFor('records'), menu: '/records' } },
      // earning: pages (w10-pages)
      { path: 'standings', name: 'standings', component: () => import('./views/StandingsView.vue'), meta: { title: 'menu.standings', roles: rolesFor('standings') } },
      { path: 'point-rules', name: 'pointRules', component: () => import('./views/PointRulesView.vue'), meta: { title: 'menu.pointRules', roles: rolesFor('pointRules') } },
      // end of earning: pages
      { path: 'publications', name: 'publications', component: () => import('./views/PublicationsView.vue'), meta: { title: 'menu.publications', roles: rolesFor('publications') } },
      { path: 'publications/:id(\\d+)', name: 'publication', component: () => import('./views/PublicationView.vue'), meta: { title: 'publication.pageTitle', roles: rolesFor('publications'), menu: '/publications' } },
      // earning: the rewards shelf (爱心超市) and its redemptions
      { path: 'shelf', name: 'shelf', component: () => import('./views/ShelfView.vue'), meta: { title: 'menu.shelf', roles: rolesFor('shelf') } },
      { path: 'redemptions', name: 'redemptions', component: () => import('./views/RedemptionsView.vue'), meta: { title: 'menu.redemptions', roles: rolesFor('redemptions') } },
      // end of the rewards shelf
      { path: 'catalog', name: 'catalog', component: () => import('./views/CatalogView.vue'), meta: { title: 'menu.catalog', roles: rolesFor('catalog') } },
      { path: 'import', name: 'import', component: () => import('./views/ImportView.vue'), meta: { title: 'menu.import', roles: rolesFor('import') } },
      { path: 'roster', name: 'roster', component: () => import('./views/RosterView.vue'), meta: { title: 'menu.roster', roles: rolesFor('roster') } },
      { path: 'unit-tasks', name: 'unitTasks', component: () => import('./views/UnitTasksView.vue'), meta: { title: 'menu.unitTasks', roles: rolesFor('unitTasks') } },
      { path: 'agreements', name: 'agreements', component: () => import('./views/AgreementsView.vue'), meta: { title: 'menu.agreements', roles: rolesFor('agreements') } },
      { path: 'regions', name: 'regions', component: () => import('./views/RegionsView.vue'), meta: { title: 'menu.regions', roles: rolesFor('regions') } },
      { path: 'households', name: 'households', component: () => import('./views/HouseholdsView.vue'), meta: { title: 'menu.households', roles: rolesFor('households') } }, // households (户)
      { path: 'care', name: 'care', component: () => import('./views/CareView.vue'), meta: { title: 'menu.care', roles: rolesFor('care') } }, // the care register (帮扶对象)
      // campaigns (入户走访): the list, one campaign's live coverage
      { path: 'campaigns', name: 'campaigns', component: () => import('./views/CampaignsView.vue'), meta: { title: 'menu.campaigns', roles: rolesFor('campaigns') } },
      { path: 'campaigns/:id(\\d+)', name: 'campaign', component: () => import('./views/CampaignView.vue'), meta: { title: 'campaign.title', roles: rolesFor('campaigns'), menu: '/campaigns' } },
      // residents' deliberations (居民议事): the list, one with its live tally and paper votes
      { path: 'deliberations', name: 'deliberations', component: () => import('./views/DeliberationsView.vue'), meta: { title: 'menu.deliberations', roles: rolesFor('deliberations') } },
      { path: 'deliberations/:id(\\d+)', name: 'deliberation', component: () => import('./views/DeliberationView.vue'), meta: { title: 'deliberation.title', roles: rolesFor('deliberations'), menu: '/deliberations' } },
      { path: 'duty', name: 'duty', component: () => import('./views/DutyView.vue'), meta: { title: 'menu.duty', roles: rolesFor('duty') } }, // duty rosters (值守/值班)
      { path: 'units', name: 'units', component: () => import('./views/UnitsView.vue'), meta: { title: 'menu.units', roles: rolesFor('units') } },
      { path: 'accounts', name: 'accounts', component: () => import('./views/AccountsView.vue'), meta: { title: 'menu.accounts', roles: rolesFor('accounts') } },
      { path: 'signup-code', name: 'signup-code', component: () => import('./views/SignupCodeView.vue'), meta: { title: 'menu.signupCode', roles: rolesFor('signupCode') } },
      { path: 'certificates', name: 'certificates', component: () => import('./views/CertificatesView.vue'), meta: { title: 'menu.certificates', roles: rolesFor('certificates') } },
      // feedback (h10-feedback)
      { path: 'feedback', name: 'feedback', component: () => import('./views/UnitFeedbackView.vue'), meta: { title: 'menu.feedback', roles: rolesFor('feedback') } },
      { path: 'quiet', name: 'quiet', component: () => import('./views/QuietView.vue'), meta: { title: 'menu.quiet', roles: rolesFor('quiet') } },
      { path: 'units-ranked', name: 'units-ranked', component: () => import('./views/UnitsRankedView.vue'), meta: { title: 'menu.unitsRanked', roles: rolesFor('unitsRanked') } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: 'menu.audit', roles: rolesFor('audit') } },
      { path: 'account', name: 'account', component: () => import('./views/AccountView.vue'), meta: { title: 'menu.account', roles: rolesFor('account') } },
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/StatusView.vue'), props: { kind: 'forbidden' }, meta: { title: 'forbidden.title' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./views/StatusView.vue'), props: { kind: 'notFound' }, meta: { title: 'notFound.title' } },
    ],
  },
];

export function createConsoleRouter() {
  const router = createRouter({
    history: createWebHistory('/admin/'),
    routes,
    scrollBehavior: (to, from, saved) => saved || { top: 0 },
  });

  router.beforeEach(async (to) => {
    const session = useSession();
    if (to.meta.public) return true;
    if (!session.checked || !session.me) {
      try {
        await session.load();
      } catch {
        return { name: 'unavailable', query: { redirect: to.fullPath } };
      }
    }
    if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (!session.isConsoleUser) return to.name === 'mobile-only' ? true : { name: 'mobile-only' };
    if (to.name === 'mobile-only') return { name: 'dashboard' };
    // Logged in with a one-time code: the new password first, then the page that was asked for.
    if (session.me.must_change_password) {
      return to.name === 'first-password' ? true
        : { name: 'first-password', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.name === 'first-password') return { name: 'dashboard' };
    const roles = to.meta.roles;
    if (roles && !session.hasRole(...roles)) return { name: 'forbidden' };
    return true;
  });

  router.afterEach((to) => {
    const title = to.meta.title ? t(to.meta.title) : '';
    document.title = title ? `${title} · ${t('app.console')} · ${t('app.name')}` : `${t('app.console')} · ${t('app.name')}`;
  });

  // A chunk that no longer exists after a new deployment: load the page afresh.
  router.onError((err, to) => {
    if (/dynamically imported module|Importing a module script failed/i.test(String(err?.message))) {
      window.location.assign(`/admin${to.fullPath}`);
    }
  });
  return router;
}
