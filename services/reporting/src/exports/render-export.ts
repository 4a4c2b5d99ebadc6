import ExcelJS from 'exceljs';
import { reportTables, type Cell, type ExportInput, type Table } from './report-tables';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderedExport {
  content: Buffer;
  contentType: string;
  fileName: string;
}

/** Excel opens a CSV as UTF-8 (and shows Chinese intact) only when it starts with a byte-order mark. */
const BOM = '\uFEFF';

/**
 * Text a spreadsheet would run as a formula when the CSV is opened (names, locations and
 * descriptions come from complainants): kept as text behind an apostrophe. Numbers stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(input: ExportInput): string {
  return tablesCsv(reportTables(input));
}

/** Tables as one CSV: each under its title, a blank line between them. */
export function tablesCsv(tables: readonly Table[]): string {
  const sections = tables.map((table) =>
    [
      csvCell(table.title),
      table.columns.map((column) => csvCell(column.header)).join(','),
      ...table.rows.map((row) => row.map(csvCell).join(',')),
    ].join('\r\n'),
  );
  return `${BOM}${sections.join('\r\n\r\n')}\r\n`;
}

/** One sheet per table, the summary first; numbers stay numbers, rates are formatted as percentages. */
export async function renderXlsx(input: ExportInput): Promise<Buffer> {
  return tablesXlsx(reportTables(input));
}

/** Tables as one workbook, a sheet each. */
export async function tablesXlsx(tables: readonly Table[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'complaints reporting';
  // A fixed date keeps the same report byte-for-byte reproducible.
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  for (const table of tables) {
    // Excel limits sheet names to 31 characters.
    const sheet = workbook.addWorksheet(table.title.slice(0, 31));
    sheet.columns = table.columns.map((column) => ({
      header: column.header,
      width: Math.min(40, Math.max(10, column.header.length * 2)),
      style: column.rate ? { numFmt: '0.00%' } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of table.rows) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** A rendered report as it is downloaded, fresh or stored. */
export function reportFile(
  content: Buffer,
  format: ExportFormat,
  report: { period: { kind: string; key: string }; scope: string },
): RenderedExport {
  const name = `report-${report.period.kind}-${report.period.key}-${report.scope.replace(':', '-')}.${format}`;
  return { content, contentType: CONTENT_TYPES[format], fileName: name };
}

export async function renderExport(input: ExportInput, format: ExportFormat): Promise<RenderedExport> {
  const content = format === 'csv' ? Buffer.from(renderCsv(input), 'utf8') : await renderXlsx(input);
  return reportFile(content, format, input);
}

/** Tables another service built (the complaint ledger), rendered like a report. */
export async function renderTables(
  tables: readonly Table[],
  format: ExportFormat,
  baseName: string,
): Promise<RenderedExport> {
  const content = format === 'csv' ? Buffer.from(tablesCsv(tables), 'utf8') : await tablesXlsx(tables);
  return { content, contentType: CONTENT_TYPES[format], fileName: `${baseName}.${format}` };
}
