import { z } from 'zod';
import { CATEGORIES, type Category } from '@complaints/domain';

/** Customer service coordinates every complaint no rule sends elsewhere (SPEC §1). */
export const DEFAULT_DEPARTMENT = 'customer_service';

const departmentKind = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a department kind such as engineering');
const byCategory = z.partialRecord(z.enum(CATEGORIES), departmentKind);

/**
 * Which department (by kind, e.g. `engineering`) handles which category: a group-wide map,
 * overridden per property. Unmapped categories go to customer service.
 */
export const departmentMapSchema = z.strictObject({
  default: byCategory.default({}),
  properties: z.record(z.string().min(1), byCategory).default({}),
});
export type DepartmentMap = z.infer<typeof departmentMapSchema>;

export const DEFAULT_DEPARTMENT_MAP: DepartmentMap = {
  default: {
    facilities_equipment: 'engineering',
    repair: 'engineering',
    safety_security: 'security',
    price_charges: 'finance',
    environment_public_area: 'operations',
    service_quality: 'customer_service',
    goods_quality: 'operations',
    contract: 'operations',
    suggestion: 'customer_service',
    other: 'customer_service',
  },
  properties: {},
};

export function departmentKindFor(map: DepartmentMap, propertyId: string, category: Category): string {
  return map.properties[propertyId]?.[category] ?? map.default[category] ?? DEFAULT_DEPARTMENT;
}
