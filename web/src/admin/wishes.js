// wishes.js (console): 微心愿 helpers: state tag colours, and the lines pasted for 批量录入 ("受益人 心愿 限额")
import { charCount } from '../shared/chars.js';

export const WISH_STATES = ['submitted', 'approved', 'refused', 'published', 'expired', 'claimed', 'fulfilled', 'closed'];
const TONES = {
  submitted: 'warning', approved: 'primary', refused: 'danger', published: 'success',
  expired: 'info', claimed: 'primary', fulfilled: 'warning', closed: 'info',
};
export const wishTone = (state) => TONES[state] || 'info';

/*
 * The text pasted from a spreadsheet or typed: one wish a line. Cells are split by tabs when the line has one
 * (Excel copies so; a title may then hold spaces), else by runs of spaces; then the first is the beneficiary, the
 * last the value cap when it is a number, and what lies between the title. Blank lines are skipped.
 * Gives [{ no (the line's number in the text), beneficiary_name, title, value_cap (a number, or null), cap_text (as pasted), problems: [key…],
 * repeat (the earlier line's number) }], problems naming keys of wish.problems.
 */
export function parseWishLines(text) {
  const out = [];
  const seen = new Map();
  String(text || '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\u3000/g, ' ').trim();
    if (!line) return;
    let cells = line.includes('\t') ? line.split('\t').map((c) => c.trim()) : line.split(/ +/);
    cells = cells.filter((c, k) => c !== '' || (k > 0 && k < cells.length - 1));
    let cap = '';
    if (cells.length >= 3 && /^[\d.,，¥￥元]+$/.test(cells[cells.length - 1].replace(/\s/g, ''))) cap = cells.pop();
    else if (line.includes('\t') && cells.length >= 3) cap = cells.pop();
    const name = cells[0] || '';
    const title = cells.slice(1).join(' ').trim();
    const w = { no: i + 1, beneficiary_name: name, title, value_cap: null, cap_text: cap, problems: [], repeat: 0 };
    if (cells.length < 2) w.problems.push('columns');
    if (!name || charCount(name) > 20) w.problems.push('name');
    if (cells.length >= 2 && (!title || charCount(title) > 50)) w.problems.push('title');
    if (cap !== '') {
      const digits = cap.replace(/[,，¥￥元\s]/g, '');
      const n = /^\d+$/.test(digits) ? Number(digits) : NaN;
      if (Number.isInteger(n) && n >= 1 && n <= 10000) w.value_cap = n;
      else w.problems.push('cap');
    }
    const key = `${name}\u0000${title}`;
    if (seen.has(key)) { w.repeat = seen.get(key); w.problems.push('repeat'); } else seen.set(key, w.no);
    out.push(w);
  });
  return out;
}
