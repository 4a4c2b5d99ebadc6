import { category, severity, type Category, type Severity } from '@complaints/domain';

export interface Classification {
  category: Category;
  severity: Severity;
  department: string;
  reasons: string[];
}

/** Customer service coordinates every complaint it is not told otherwise about (SPEC §1). */
export const DEFAULT_DEPARTMENT = 'customer_service';

/**
 * The starting classification: the partner's hints when they name a known value,
 * otherwise `other` / `general` with customer service. Every choice says why.
 */
export function initialClassification(hints: { categoryHint: string; severityHint: string }): Classification {
  const hintedCategory = category.safeParse(hints.categoryHint);
  const hintedSeverity = severity.safeParse(hints.severityHint);
  return {
    category: hintedCategory.success ? hintedCategory.data : 'other',
    severity: hintedSeverity.success ? hintedSeverity.data : 'general',
    department: DEFAULT_DEPARTMENT,
    reasons: [
      hintedCategory.success ? `category from hint: ${hintedCategory.data}` : 'category default: other',
      hintedSeverity.success ? `severity from hint: ${hintedSeverity.data}` : 'severity default: general',
      `department default: ${DEFAULT_DEPARTMENT}`,
    ],
  };
}
