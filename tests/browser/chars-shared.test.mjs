// chars-shared.test.mjs: text length in characters on its own (node, no browser): code points as the server counts
// them, and cuts at a whole character (web/src/shared/chars.js)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charCount, cutChars } from '../../web/src/shared/chars.js';

const BIG = '\u{20000}'; // '𠀀': one character, two UTF-16 units, four bytes in UTF-8

test('charCount counts characters: a 4-byte one is one, not two; Chinese, ASCII and nothing as they are', () => {
  assert.equal(BIG.length, 2, 'JavaScript sees two units');
  assert.equal(charCount(BIG), 1);
  assert.equal(charCount(BIG.repeat(50)), 50);
  assert.equal(charCount(`王${BIG}明 A1`), 6);
  assert.equal(charCount('石榴桥社区'), 5);
  assert.equal(charCount('😀👍'), 2, 'emoji outside the BMP too');
  assert.equal(charCount(''), 0);
  assert.equal(charCount(null), 0);
  assert.equal(charCount(undefined), 0);
});

test('cutChars keeps the first n characters and never half of one', () => {
  assert.equal(cutChars(BIG.repeat(51), 50), BIG.repeat(50));
  assert.equal(cutChars(`a${BIG}b`, 2), `a${BIG}`, 'the 4-byte character is kept whole, not split after one unit');
  assert.equal(cutChars(`a${BIG}b`, 1), 'a', 'nor split when it is the one that does not fit');
  assert.equal(cutChars('王小明', 2), '王小');
  assert.equal(cutChars('王小明', 3), '王小明');
  assert.equal(cutChars('王小明', 10), '王小明', 'shorter text stays as it is');
  assert.equal(cutChars(BIG.repeat(3), 0), '');
  assert.equal(cutChars(null, 5), '');
  // No cut ever leaves a lone surrogate behind.
  const mixed = `${BIG}a${BIG}${BIG}b${BIG}`;
  for (let n = 0; n <= 6; n++) {
    const cut = cutChars(mixed, n);
    assert.equal(charCount(cut), Math.min(n, 6));
    assert.ok(mixed.startsWith(cut));
    assert.ok(!/[\uD800-\uDBFF]$/.test(cut), `no high surrogate left at the end of a cut at ${n}`);
  }
});
