/**
 * Complaint numbers (SPEC §2): property code + local date + sequence, e.g. `SHM01-20261123-0007`.
 * Human-readable on the phone; sequential per property per day in the property's time zone.
 */
export function localDay(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD; the time zone decides which day "today" is for the property.
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );
  return day.replaceAll('-', '');
}

export function formatComplaintNumber(propertyCode: string, day: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  return `${propertyCode}-${day}-${String(sequence).padStart(4, '0')}`;
}
