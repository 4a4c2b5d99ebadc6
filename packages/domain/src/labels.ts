import type { Language } from './vocabulary';

// How people read the SPEC §11 identifiers: one table for notifications, exports and the console.
// English falls back to the identifier with spaces, so only words that read differently are listed.

const ZH: Record<string, string> = {
  // severity
  general: '一般',
  important: '重要',
  major: '重大',
  // deadlines
  firstReplyBy: '首次答复时限',
  resolveBy: '处理时限',
  callbackBy: '回访时限',
  // ladder
  frontline: '一线客服',
  supervisor: '主管',
  manager: '部门经理',
  property_head: '项目负责人',
  regional_gm: '区域总经理',
  group_hq: '集团总部',
  // categories
  service_quality: '服务质量',
  goods_quality: '商品质量',
  price_charges: '价格收费',
  safety_security: '安全保卫',
  facilities_equipment: '设施设备',
  environment_public_area: '环境与公共区域',
  contract: '合同',
  repair: '维修',
  suggestion: '建议',
  other: '其他',
  // channels
  phone: '电话',
  walk_in: '来访',
  letter: '信函',
  fax: '传真',
  email: '电子邮件',
  web: '网站',
  app: 'App',
  wechat: '微信',
  social_media: '社交媒体',
  government_referral: '政府转办',
  internal: '内部',
  suggestion_box: '意见箱',
  // statuses
  registered: '已登记',
  assigned: '已派单',
  acknowledged: '已首次答复',
  investigating: '调查处理中',
  plan_proposed: '方案待审批',
  plan_approved: '方案已批准',
  awaiting_complainant: '等待投诉人',
  awaiting_outside_body: '等待外部单位',
  awaiting_work_order: '等待维修',
  resolved: '已处理',
  callback_done: '已回访',
  closed: '已结案',
  withdrawn: '已撤诉',
  merged: '已合并',
  // department kinds (SPEC §1; departments are data, these are the usual kinds)
  customer_service: '客服部',
  operations: '营运部',
  security: '安保部',
  finance: '财务部',
  engineering: '工程部',
  butler: '管家部',
  quality: '品质部',
  // satisfaction
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

const EN: Record<string, string> = {
  firstReplyBy: 'first reply',
  resolveBy: 'resolution',
  callbackBy: 'callback',
  frontline: 'frontline staff',
  regional_gm: 'regional general manager',
  group_hq: 'group headquarters',
  walk_in: 'walk-in',
  app: 'app',
  government_referral: 'government referral',
  environment_public_area: 'environment and public areas',
  price_charges: 'prices and charges',
  safety_security: 'safety and security',
  facilities_equipment: 'facilities and equipment',
};

/** A vocabulary identifier in the reader's language; unknown identifiers come back as they are. */
export function label(language: Language, id: string): string {
  if (language === 'zh-CN') return ZH[id] ?? id;
  return EN[id] ?? id.replace(/_/g, ' ');
}
