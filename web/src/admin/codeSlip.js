// codeSlip.js: a one-time code on its way from the dialog that showed it to the receipt that prints it.
// Held in this module's memory only (never the URL, storage or history state): taken once, gone on reload.
let slip = null;

// { memberId, login, code, validDays }
export function handSlip(s) {
  slip = s;
}

// The slip for this member file, once; null when there is none (or it was for another file).
export function takeSlip(memberId) {
  const s = slip;
  slip = null;
  return s && s.memberId === memberId ? s : null;
}
