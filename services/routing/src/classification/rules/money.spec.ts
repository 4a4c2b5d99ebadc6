import { findCnyAmounts, parseChineseNumeral } from './money';
import { normalise } from './text-matching';

const amounts = (text: string) => findCnyAmounts(normalise(text)).map((a) => a.amountCny);

describe('amounts of money in complaint text', () => {
  it.each([
    ['损失5万元', 50_000],
    ['损失 20,000 元', 20_000],
    ['¥30000', 30_000],
    ['￥30,000.50', 30_000.5],
    ['RMB 15,000', 15_000],
    ['RMB15,000', 15_000],
    ['15000 yuan', 15_000],
    ['CNY 12,000', 12_000],
    ['人民币8000元', 8_000],
    ['损失3万', 30_000],
    ['1.5万元', 15_000],
    ['3万多元', 30_000],
    ['3000余元', 3_000],
    ['赔了我20k', 20_000],
    ['五万元', 50_000],
    ['两千块', 2_000],
    ['损失了十几万', 110_000],
    ['要求赔偿一万五', 15_000],
    ['loss of 12,000', 12_000],
    ['５万元', 50_000],
  ])('reads %s as %d CNY', (text, expected) => {
    expect(amounts(text)).toEqual([expected]);
  });

  it.each([
    ['$2,000'],
    ['US$ 20,000'],
    ['HK$50000'],
    ['2000美元'],
    ['3万港币'],
    ['USD 30000'],
    ['€15,000'],
    ['loss of $20,000'],
    ['5000 dollars'],
  ])('ignores other currencies: %s', (text) => {
    expect(amounts(text)).toEqual([]);
  });

  it.each([['商场面积3万平米'], ['每天3万人次客流'], ['12345热线'], ['2024年5月'], ['损失50%的客流']])(
    'ignores numbers that are not money: %s',
    (text) => {
      expect(amounts(text)).toEqual([]);
    },
  );

  it('finds every amount, in order, with the text it was read from', () => {
    expect(findCnyAmounts(normalise('多收了200元，损失约3万'))).toEqual([
      { amountCny: 200, text: '200元' },
      { amountCny: 30_000, text: '损失约3万' },
    ]);
  });
});

describe('Chinese numerals', () => {
  it.each([
    ['五', 5],
    ['十', 10],
    ['十五', 15],
    ['二十五', 25],
    ['一百零五', 105],
    ['一千零五十', 1_050],
    ['三千二', 3_200],
    ['两千', 2_000],
    ['五万', 50_000],
    ['十万', 100_000],
    ['一万五', 15_000],
    ['一万五千', 15_000],
    ['一万零五', 10_005],
    ['二十五万', 250_000],
    ['一百二十万', 1_200_000],
    ['一亿二千万', 120_000_000],
  ])('%s = %d', (numeral, expected) => {
    expect(parseChineseNumeral(numeral)).toBe(expected);
  });
});
