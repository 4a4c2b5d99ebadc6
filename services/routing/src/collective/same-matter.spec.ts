import { locationKey, sameMatter, similarity } from './same-matter';

describe('same matter', () => {
  it('ignores spaces, punctuation and width in places', () => {
    expect(locationKey('B1 停车场（东区）')).toBe(locationKey('b1停车场(东区)'));
  });

  it('finds Chinese descriptions of one problem alike, and different problems not', () => {
    const a = '地下停车场B1东区漏水严重，车辆被淹';
    const b = 'B1东区停车场漏水，我的车被淹了';
    const c = '商场空调温度太低';
    expect(similarity(a, b)).toBeGreaterThan(0.4);
    expect(similarity(a, c)).toBeLessThan(0.2);
    expect(similarity(a, a)).toBe(1);
  });

  it('needs the same place as well', () => {
    const text = '门口积水很深无法通行';
    expect(sameMatter({ locationKey: 'b1', description: text }, { locationKey: 'b1', description: text })).toBe(true);
    expect(sameMatter({ locationKey: 'b1', description: text }, { locationKey: 'l2', description: text })).toBe(false);
  });
});
