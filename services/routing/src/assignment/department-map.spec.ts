import { DEFAULT_DEPARTMENT_MAP, departmentKindFor, departmentMapSchema } from './department-map';

describe('department by category', () => {
  it('sends leaks to engineering and the rest by default to customer service', () => {
    expect(departmentKindFor(DEFAULT_DEPARTMENT_MAP, 'mall', 'facilities_equipment')).toBe('engineering');
    expect(departmentKindFor({ default: {}, properties: {} }, 'mall', 'repair')).toBe('customer_service');
  });

  it('lets a property override the group map', () => {
    const map = departmentMapSchema.parse({
      default: { repair: 'engineering' },
      properties: { estate: { repair: 'butler' } },
    });
    expect(departmentKindFor(map, 'estate', 'repair')).toBe('butler');
    expect(departmentKindFor(map, 'mall', 'repair')).toBe('engineering');
  });

  it('refuses unknown categories', () => {
    expect(departmentMapSchema.safeParse({ default: { weather: 'x' } }).success).toBe(false);
  });
});
