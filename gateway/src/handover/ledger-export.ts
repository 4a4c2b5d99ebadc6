import ExcelJS from 'exceljs';
import type { v1 } from '@complaints/contracts';
import { HANDOVER_CHECKLIST_LABELS, type HandoverChecklistItem } from '@complaints/domain';

export const LEDGER_EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type LedgerExportFormat = (typeof LEDGER_EXPORT_FORMATS)[number];
export type LedgerLanguage = 'zh-CN' | 'en';

const HEADERS: Record<LedgerLanguage, string[]> = {
  'zh-CN': [
    '日期',
    '班次',
    '当班时间',
    '当班人员',
    '跟办事项',
    '业户动态',
    '钥匙及物品交接',
    '需全体知道的事项',
    '检查表未勾选项',
    '未结投诉',
    '接班人签名',
    '签名时间',
    '主管审核',
    '审核时间',
  ],
  en: [
    'Day',
    'Shift',
    'Shift time',
    'On shift',
    'Follow-ups',
    "Residents' and tenants' situations",
    'Keys and items',
    'Notices for all',
    'Checklist lines not checked',
    'Open complaints',
    'Signed by (incoming shift)',
    'Signed at',
    'Reviewed by',
    'Reviewed at',
  ],
};

const WORDS: Record<LedgerLanguage, Record<'title' | 'archived' | 'notArchived' | 'done' | 'open' | 'more', string>> = {
  'zh-CN': {
    title: '工作台帐',
    archived: '已归档',
    notArchived: '未归档',
    done: '已完成',
    open: '转入交接班本跟进',
    more: '（另有更多）',
  },
  en: {
    title: 'Work ledger',
    archived: 'archived',
    notArchived: 'not archived',
    done: 'done',
    open: 'carried to the next shift',
    more: '(and more)',
  },
};

/** YYYY-MM-DD HH:mm where the property is; empty for no time. */
export function localTime(iso: string, timeZone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** One row per handover entry, in day and shift order: the month's ledger as a table. */
export function ledgerRows(month: v1.LedgerMonth, timeZone: string, language: LedgerLanguage): string[][] {
  const words = WORDS[language];
  return month.days.flatMap((day) =>
    day.entries.map((entry) => [
      entry.day,
      entry.shiftName,
      `${localTime(entry.shiftStart, timeZone)} – ${localTime(entry.shiftEnd, timeZone)}`,
      entry.onShift.map((staff) => staff.name).join('、'),
      entry.items
        .map((item) => {
          const state = item.done
            ? `${words.done}: ${item.doneBy?.name ?? ''} ${localTime(item.doneAt, timeZone)}${item.note ? ` ${item.note}` : ''}`
            : words.open;
          return `${item.text} [${state}]`;
        })
        .join('\n'),
      entry.residentSituations,
      entry.keysAndItems,
      entry.notices,
      entry.checklist
        .filter((answer) => !answer.checked)
        .map(
          (answer) =>
            `${HANDOVER_CHECKLIST_LABELS[answer.item as HandoverChecklistItem]?.[language] ?? answer.item}: ${answer.note}`,
        )
        .join('\n'),
      [
        entry.openComplaints.map((complaint) => complaint.number).join(', '),
        entry.openComplaintsTruncated ? words.more : '',
      ]
        .filter(Boolean)
        .join(' '),
      entry.signedBy?.name ?? '',
      localTime(entry.signedAt, timeZone),
      day.reviewedBy?.name ?? '',
      localTime(day.reviewedAt, timeZone),
    ]),
  );
}

/**
 * The month's ledger as a file: a cover line (the property, the month, whether it is archived and
 * by whom, as the procedure's 台帐封面), the header, and a row per entry. CSV carries the same table.
 */
export async function writeLedgerFile(
  month: v1.LedgerMonth,
  property: { name: string; timeZone: string },
  format: LedgerExportFormat,
  language: LedgerLanguage,
): Promise<Buffer> {
  const words = WORDS[language];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`${month.month}`);
  const archived = month.archivedAt
    ? `${words.archived}: ${month.archivedBy?.name ?? ''} ${localTime(month.archivedAt, property.timeZone)}`
    : words.notArchived;
  sheet.addRow([`${words.title} ${month.month}`, property.name, archived]);
  sheet.addRow(HEADERS[language]);
  for (const row of ledgerRows(month, property.timeZone, language)) sheet.addRow(row);
  if (format === 'xlsx') {
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(2).font = { bold: true };
    sheet.columns.forEach((column) => (column.width = 22));
  }
  const written = format === 'csv' ? await workbook.csv.writeBuffer() : await workbook.xlsx.writeBuffer();
  // A BOM, so spreadsheet programs read the CSV's Chinese as UTF-8.
  return format === 'csv' ? Buffer.concat([Buffer.from('\ufeff'), Buffer.from(written)]) : Buffer.from(written);
}
