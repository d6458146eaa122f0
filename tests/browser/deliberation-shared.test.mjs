// deliberation-shared.test.mjs: the deliberation pages' shared words on their own (node, no browser): a rule in words, the
// bar towards the threshold, floor areas typed and shown (web/src/shared/deliberation.js)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fractionText, ruleText, progressOf, areaText, areaValue, THRESHOLDS } from '../../web/src/shared/deliberation.js';

test('fractions and rules in words', () => {
  assert.equal(fractionText({ num: 2, den: 3, strict: false }), '三分之二以上');
  assert.equal(fractionText({ num: 1, den: 2, strict: true }), '超过半数');
  assert.equal(fractionText({ num: 51, den: 100, strict: false }), '51/100以上');
  assert.deepEqual(THRESHOLDS.map(fractionText), ['三分之二以上', '四分之三以上', '超过半数', '半数以上']);
  assert.equal(ruleText({ basis: 'households', threshold: { num: 2, den: 3 }, of_voting: false, quorum: { num: 0, den: 1 } }),
    '全部户数三分之二以上同意');
  assert.equal(ruleText({ basis: 'both', threshold: { num: 3, den: 4 }, of_voting: true, quorum: { num: 2, den: 3 } }),
    '参与表决的户数和建筑面积四分之三以上同意（须三分之二以上参与表决）');
});

test('the bar towards the threshold, and areas', () => {
  assert.equal(progressOf({ agree: 12, needed: 16 }), 75);
  assert.equal(progressOf({ agree: 20, needed: 16 }), 100, 'past the threshold stays full');
  assert.equal(progressOf({ agree: 0, needed: 0 }), 0);
  assert.equal(areaText(8937), '89.37');
  assert.equal(areaText(null), '');
  assert.equal(areaValue('89.37'), 8937);
  assert.equal(areaValue(' 120 '), 12000);
  for (const bad of ['', '0', '-3', 'abc']) assert.equal(areaValue(bad), null, bad);
});
