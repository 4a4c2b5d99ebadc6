/**
 * The materials of a completed work order as typed, one a line: `name, quantity, unit` (commas
 * or Chinese commas; the unit may be left out). A line whose quantity is not a number keeps it as
 * NaN, for the API to refuse at that material's field.
 */
export function parseMaterials(text: string): { name: string; quantity: number; unit: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', quantity = '', unit = ''] = line.split(/\s*[,，]\s*/);
      return { name, quantity: quantity === '' ? 1 : Number(quantity), unit };
    });
}

/** One reference a line (attachment ids or URLs). */
export function parseLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
