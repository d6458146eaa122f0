// earning-shared.test.mjs: the earning pages' shared words on their own (node, no browser): tiers, hours, periods,
// ledger sources, amounts, stars and ranks (web/src/shared/earning.js)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupI18n } from '../../web/src/shared/i18n.js';
import {
  TIERS, TIER_KEYS, tierKey, tierLabel, tierColor, hoursText, amountText, periodName, halfOf, periodChoices, sourceLabel,
  starGlyphs, starsText, rankText,
} from '../../web/src/shared/earning.js';

setupI18n();

test('tiers in words, lowest first, each with its own colour; the server\'s "" is 未达标', () => {
  assert.deepEqual(TIERS.map(tierLabel), ['未达标', '合格', '优秀', '先锋']);
  assert.deepEqual(TIER_KEYS.map(tierLabel), ['未达标', '合格', '优秀', '先锋'], 'the keys of the tier counts read the same');
  assert.equal(tierKey(''), 'none');
  assert.equal(tierKey(null), 'none');
  assert.equal(tierKey('pioneer'), 'pioneer');
  assert.equal(new Set(TIERS.map(tierColor)).size, 4);
  assert.equal(tierColor(''), tierColor('none'));
  assert.equal(tierColor('gold'), tierColor(''), 'an unknown tier is coloured as none');
  assert.equal(tierLabel('gold'), 'gold');
});

test('minutes as hours with at most one decimal; amounts with their sign, in points or hours', () => {
  assert.equal(hoursText(90), '1.5 小时');
  assert.equal(hoursText(60), '1 小时');
  assert.equal(hoursText(20), '0.3 小时');
  assert.equal(hoursText(0), '0 小时');
  assert.equal(hoursText(1), '0 小时');
  assert.equal(hoursText(100 * 60), '100 小时');
  assert.equal(hoursText(undefined), '0 小时');
  assert.equal(amountText(3), '+3 分');
  assert.equal(amountText(-3), '−3 分');
  assert.equal(amountText(0), '0 分');
  assert.equal(amountText(90, 'hours'), '+1.5 小时');
  assert.equal(amountText(-120, 'hours'), '−2 小时');
});

test('periods by name; the half-year of a day; the three periods a ranking offers, across a new year too', () => {
  assert.equal(periodName('2026H2'), '2026年下半年');
  assert.equal(periodName('2026H1'), '2026年上半年');
  assert.equal(periodName('2026'), '2026年');
  assert.equal(periodName('2026H3'), '2026H3', 'not a period: shown as it is');
  assert.equal(halfOf('2026-06-30'), '2026H1');
  assert.equal(halfOf('2026-07-01'), '2026H2');
  assert.deepEqual(periodChoices('2026-12-02').map((p) => p.value), ['2026H2', '2026H1', '2026']);
  assert.deepEqual(periodChoices('2027-01-05').map((p) => p.value), ['2027H1', '2026H2', '2027']);
  assert.deepEqual(periodChoices('2026-12-02').map((p) => p.label), ['本半年（2026年下半年）', '上个半年（2026年上半年）', '本年度（2026年）']);
});

test('where a movement came from, stars and ranks in words', () => {
  assert.deepEqual(['record', 'bonus', 'redemption', 'gift', 'correction'].map(sourceLabel), ['服务', '奖励', '兑换', '赠送时长', '更正']);
  assert.equal(sourceLabel('lottery'), 'lottery');
  assert.equal(starGlyphs(3), '★★★☆☆');
  assert.equal(starGlyphs(0), '☆☆☆☆☆');
  assert.equal(starGlyphs(9), '★★★★★');
  assert.equal(starsText(4), '4 星');
  assert.equal(starsText(0), '暂无星级');
  assert.equal(rankText(3, 120), '第 3 名 / 共 120 人');
  assert.equal(rankText(null, null), '暂无排名');
});
