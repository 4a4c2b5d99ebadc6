import { parseLines, parseMaterials } from './work-order-form';

describe('work order form', () => {
  it('reads materials one a line, with either comma, the unit optional and one piece by default', () => {
    expect(parseMaterials('空气开关 16A, 1, 个\n电工胶布，0.5，卷\n\n密封圈\n')).toEqual([
      { name: '空气开关 16A', quantity: 1, unit: '个' },
      { name: '电工胶布', quantity: 0.5, unit: '卷' },
      { name: '密封圈', quantity: 1, unit: '' },
    ]);
    expect(parseMaterials('胶水, some')[0]?.quantity).toBeNaN();
  });

  it('reads photo references one a line', () => {
    expect(parseLines(' a.jpg \n\nhttps://x/b.jpg')).toEqual(['a.jpg', 'https://x/b.jpg']);
  });
});
