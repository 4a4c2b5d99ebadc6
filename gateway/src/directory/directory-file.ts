import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { v1 } from '@complaints/contracts';

/**
 * The directory as one table, the same for CSV and XLSX: a row per region, property, department
 * and staff member, `type` saying which, the columns that type uses filled. What is exported
 * imports again unchanged; `propertyIds` and `trades` are separated by `;`.
 */
export const COLUMNS = [
  'type',
  'id',
  'name',
  'regionId',
  'propertyId',
  'kind',
  'code',
  'timeZone',
  'roleLevel',
  'departmentId',
  'propertyIds',
  'onDuty',
  'email',
  'mobile',
  'wechatOpenId',
  'language',
  'active',
  'deactivatedAt',
  'trades',
] as const;
type Column = (typeof COLUMNS)[number];

export const DIRECTORY_FILE_FORMATS = ['csv', 'xlsx'] as const;
export type DirectoryFileFormat = (typeof DIRECTORY_FILE_FORMATS)[number];

const FORMULA = /^[=+\-@\t\r]/;

/** A spreadsheet runs a cell starting with = + - @ as a formula: such text is written behind an apostrophe. */
function cell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}
function uncell(value: string): string {
  return value.startsWith("'") && FORMULA.test(value.slice(1)) ? value.slice(1) : value;
}

export function directoryRows(directory: v1.ListDirectoryResponse): string[][] {
  const active = (entry: { inactive?: boolean }) => String(!entry.inactive);
  const row = (values: Partial<Record<Column, string>>) => COLUMNS.map((column) => cell(values[column] ?? ''));
  return [
    ...directory.regions.map((region) => row({ type: 'region', id: region.id, name: region.name })),
    ...directory.properties.map((property) =>
      row({
        type: 'property',
        id: property.id,
        name: property.name,
        regionId: property.regionId,
        kind: property.kind,
        code: property.code,
        timeZone: property.timeZone,
        active: active(property),
        deactivatedAt: property.deactivatedAt,
      }),
    ),
    ...directory.departments.map((department) =>
      row({
        type: 'department',
        id: department.id,
        name: department.name,
        propertyId: department.propertyId,
        kind: department.kind,
        active: active(department),
        deactivatedAt: department.deactivatedAt,
      }),
    ),
    ...directory.staff.map((member) =>
      row({
        type: 'staff',
        id: member.id,
        name: member.name,
        regionId: member.regionId,
        roleLevel: member.roleLevel,
        departmentId: member.departmentId,
        propertyIds: member.propertyIds.join(';'),
        onDuty: String(member.onDuty),
        email: member.email,
        mobile: member.mobile,
        wechatOpenId: member.wechatOpenId,
        language: member.language,
        active: active(member),
        deactivatedAt: member.deactivatedAt,
        trades: member.trades.join(';'),
      }),
    ),
  ];
}

export async function writeDirectoryFile(
  directory: v1.ListDirectoryResponse,
  format: DirectoryFileFormat,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('directory');
  sheet.addRow([...COLUMNS]);
  for (const row of directoryRows(directory)) sheet.addRow(row);
  const written = format === 'csv' ? await workbook.csv.writeBuffer() : await workbook.xlsx.writeBuffer();
  // A BOM, so spreadsheet programs read the CSV's Chinese as UTF-8.
  return format === 'csv' ? Buffer.concat([Buffer.from('\ufeff'), Buffer.from(written)]) : Buffer.from(written);
}

/** A row of an import for intake: its number in the file, its type, its fields as typed values. */
export interface ImportRow {
  row: number;
  type: string;
  fields: Record<string, unknown>;
}

const BOOLEAN: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
  是: true,
  否: false,
};

function typed(column: string, text: string): unknown {
  if (column === 'propertyIds' || column === 'trades')
    return text
      .split(/[;,]/)
      .map((id) => id.trim())
      .filter(Boolean);
  if (column === 'onDuty' || column === 'active') return BOOLEAN[text.toLowerCase()] ?? text;
  return text;
}

function textOf(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  // Hyperlinks, formulas (their last result) and rich text: the text a person sees.
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  if ('result' in value) return textOf(value.result);
  return '';
}

/**
 * The rows of an uploaded file (the first sheet of an XLSX, or a CSV), by the header's column
 * names; unknown columns are refused by intake's check with their row. Empty cells are left out
 * so the defaults apply; `active` becomes the stored `inactive`; `deactivatedAt` is the store's own.
 */
export async function readDirectoryFile(content: Uint8Array, format: DirectoryFileFormat): Promise<ImportRow[]> {
  const workbook = new ExcelJS.Workbook();
  const sheet =
    format === 'csv'
      ? await workbook.csv.read(
          Readable.from(
            Buffer.from(content)
              .toString('utf8')
              .replace(/^\ufeff/, ''),
          ),
        )
      : (await workbook.xlsx.load(Uint8Array.from(content).buffer), workbook.worksheets[0]);
  if (!sheet) return [];
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).map(textOf);
  const rows: ImportRow[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const fields: Record<string, unknown> = {};
    let type = '';
    (row.values as ExcelJS.CellValue[]).forEach((value, index) => {
      const column = header[index];
      const text = uncell(textOf(value));
      if (!column || text === '' || column === 'deactivatedAt') return;
      if (column === 'type') type = text;
      else if (column === 'active') {
        const active = typed(column, text);
        // A word that is neither yes nor no goes on as it is, for intake's check to name it.
        fields.inactive = typeof active === 'boolean' ? !active : text;
      } else fields[column] = typed(column, text);
    });
    if (type || Object.keys(fields).length > 0) rows.push({ row: number, type, fields });
  });
  return rows;
}
