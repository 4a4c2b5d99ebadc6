/**
 * The desk's handover book (交接班本) and work ledger (工作台帐): what a handover entry is checked
 * against. The checklist (检查表) is what the procedure names as handed over at a change of shift:
 * a tidy work area, keys, residents' and tenants' situations, the book and its documents, items,
 * unfinished guest services told to the incoming shift, and notices everyone on duty must know.
 */
export const HANDOVER_CHECKLIST = [
  'work_area_tidy',
  'keys',
  'resident_situations',
  'book_and_documents',
  'items',
  'unfinished_services_told',
  'notices_for_all',
] as const;
export type HandoverChecklistItem = (typeof HANDOVER_CHECKLIST)[number];

/** How the checklist reads on paper and in exports. */
export const HANDOVER_CHECKLIST_LABELS: Record<HandoverChecklistItem, { 'zh-CN': string; en: string }> = {
  work_area_tidy: { 'zh-CN': '工作区域已整理', en: 'Work area tidied' },
  keys: { 'zh-CN': '钥匙已交接', en: 'Keys handed over' },
  resident_situations: { 'zh-CN': '业户动态已交接', en: "Residents' and tenants' situations handed over" },
  book_and_documents: { 'zh-CN': '交班本及相关文件已交接', en: 'Handover book and documents handed over' },
  items: { 'zh-CN': '物品已交接', en: 'Items handed over' },
  unfinished_services_told: {
    'zh-CN': '未完成的宾客服务已告知接班人',
    en: 'Unfinished guest services told to the incoming shift',
  },
  notices_for_all: { 'zh-CN': '需全体人员知道的事项已记录', en: 'Notices for everyone on duty recorded' },
};

/** The longest shift a handover entry may cover. */
export const MAX_SHIFT_HOURS = 24;
