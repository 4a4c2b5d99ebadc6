import type { v1 } from '@complaints/contracts';
import { label, type Language } from '@complaints/domain';

/** The most complaints one ledger file holds: more must be narrowed by the filters (a period, a property). */
export const MAX_LEDGER_ROWS = 10_000;

const HEADERS: Record<Language, string[]> = {
  'zh-CN': [
    '投诉编号',
    '受理时间',
    '项目',
    '渠道',
    '类别',
    '严重程度',
    '处理部门',
    '处理人',
    '状态',
    '最近时限',
    '最近时限到期',
    '是否超时',
    '投诉人',
    '联系方式',
    '位置',
    '投诉内容',
    '投诉人要求',
  ],
  en: [
    'Number',
    'Received',
    'Property',
    'Channel',
    'Category',
    'Severity',
    'Department',
    'Handler',
    'Status',
    'Nearest deadline',
    'Due',
    'Overdue',
    'Complainant',
    'Contact',
    'Location',
    'Description',
    'Demand',
  ],
};

/**
 * The complaint ledger (台账) as one table: a row per complaint as the list gives it, vocabulary
 * in the reader's language, the complainant masked as in every answer.
 */
export function ledgerTable(
  complaints: readonly v1.Complaint[],
  language: Language,
  propertyName: (id: string) => string,
) {
  const word = (id: string | undefined) => (id ? label(language, id) : '');
  return {
    title: language === 'zh-CN' ? '投诉台账' : 'Complaint ledger',
    columns: HEADERS[language].map((header) => ({ header })),
    rows: complaints.map((complaint) => [
      complaint.number,
      complaint.receivedAt,
      propertyName(complaint.propertyId),
      word(complaint.channel),
      word(complaint.category),
      word(complaint.severity),
      word(complaint.department),
      complaint.handlerName ?? '',
      word(complaint.status),
      word(complaint.nextDeadline),
      complaint.nextDeadlineAt ?? '',
      complaint.overdue ? (language === 'zh-CN' ? '是' : 'yes') : language === 'zh-CN' ? '否' : 'no',
      complaint.complainant?.name ?? '',
      complaint.complainant?.contact ?? '',
      complaint.location,
      complaint.description,
      complaint.demand,
    ]),
  };
}
