import { maskComplainant, maskContact, maskEmail, maskName, maskPhone, maskUnit } from './masking';

describe('masking personal data', () => {
  it('shows the first character of a name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('张')).toBe('张*');
    expect(maskName('')).toBe('');
  });

  it('shows the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('+86138****8000');
    expect(maskPhone('138-0013-8000')).toBe('138****8000');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('shows the first letter and the domain of an email address', () => {
    expect(maskEmail('zhang@example.com')).toBe('z***@example.com');
    expect(maskContact(' zhang.san@example.com ')).toBe('z***@example.com');
  });

  it('masks every kind of contact, never answering it whole', () => {
    expect(maskContact('13800138000')).toBe('138****8000');
    expect(maskContact('wechat:oAbcdefgh123')).toBe('wechat:oA***23');
    expect(maskContact('front desk, ask for Li')).toBe('f*********************');
    expect(maskContact('')).toBe('');
  });

  it('keeps the building or floor of a unit', () => {
    expect(maskUnit('L2-15')).toBe('L2***');
    expect(maskUnit('3栋1202')).toBe('3栋****');
    expect(maskUnit('A1')).toBe('A*');
  });

  it('masks a complainant and keeps its other fields', () => {
    expect(
      maskComplainant({ name: '张三', contact: '13800138000', unit: 'L2-15', type: 'tenant', anchorTenant: true }),
    ).toEqual({ name: '张*', contact: '138****8000', unit: 'L2***', type: 'tenant', anchorTenant: true });
  });
});
