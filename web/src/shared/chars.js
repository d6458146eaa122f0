// chars.js: text length in characters (Unicode code points), as the server counts it: '𠀀' (U+20000) is one
// character though JavaScript's .length says 2 (UTF-16 units), and a cut never splits one in two.

// How many characters s has (null and undefined have none).
export function charCount(s) {
  return Array.from(String(s ?? '')).length; // by code points (a lone surrogate counts as one)
}

// The first n characters of s (all of it when it is shorter), never half of a character.
export function cutChars(s, n) {
  const chars = Array.from(String(s ?? ''));
  return chars.length > n ? chars.slice(0, n).join('') : chars.join('');
}
