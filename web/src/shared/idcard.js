// idcard.js: what a 居民身份证号 says about its holder before the server checks it (console and mobile forms)
import { watch } from 'vue';

// 'M' or 'F' from an 18-character number (the 17th digit: odd for men), '' until it is complete.
export function genderFromId(id) {
  const v = String(id || '').trim();
  if (!/^\d{17}[\dXx]$/.test(v)) return '';
  return Number(v[16]) % 2 ? 'M' : 'F';
}

// Fills form.gender from form.id_number as it is typed, unless the person chose another gender.
export function fillGenderFromId(form) {
  let filled = '';
  watch(() => form.id_number, (id) => {
    const g = genderFromId(id);
    if (!g || (form.gender && form.gender !== filled)) return;
    form.gender = g;
    filled = g;
  });
}
