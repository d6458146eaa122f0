// accounts.js: which accounts each console role keeps (账号管理's tabs) and may open (新建账号), as docs/api.md says
export const ACCOUNT_ROLES = ['admin', 'org', 'staff', 'unit', 'member', 'resident'];

const KEEPS = {
  admin: ACCOUNT_ROLES,
  org: ['staff', 'unit'],
  staff: ['member', 'resident'],
  unit: ['member'],
};
const OPENS = {
  admin: ['staff', 'unit', 'org', 'admin'],
  org: ['staff', 'unit'],
  staff: ['resident'],
};

const union = (table, roles) => ACCOUNT_ROLES.filter((r) => roles.some((mine) => table[mine]?.includes(r)));

// The roles whose accounts the caller's roles keep, in a fixed order.
export const keptRoles = (roles) => union(KEEPS, roles);
// The roles the caller may open accounts for in the console (members' come from their files or sign-up).
export const openedRoles = (roles) => union(OPENS, roles);

// An account row's state, most telling first: 已停用, 待社区确认, 待首次登录改密 (the code valid or run out), 正常.
export function accountState(row, now = Date.now() / 1000) {
  if (row.disabled) return { key: 'disabled', tag: 'info' };
  if (row.pending) return { key: 'pending', tag: 'warning' };
  if (row.must_change_password) {
    return row.code_expires_at && row.code_expires_at < now ? { key: 'codeExpired', tag: 'danger' }
      : { key: 'mustChange', tag: 'warning', until: row.code_expires_at };
  }
  return { key: 'active', tag: 'success' };
}
