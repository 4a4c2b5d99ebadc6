/** The demo group's properties (services/intake/seed/demo-group.json). */
const PROPERTIES = ['sh-mall', 'sh-tower', 'gz-estate'] as const;

/** Everyday matters of several categories, none of them major, as a service desk takes them. */
const MATTERS = [
  { description: '停车场电梯停运半小时', demand: '尽快修复' },
  { description: '会议室空调不制冷', demand: '请派工程部检查' },
  { description: '卫生间洗手液缺货，地面湿滑', demand: '及时补充并清洁' },
  { description: '前台访客登记太慢，排队二十分钟', demand: '增加人手' },
  { description: '物业费账单金额与合同不符', demand: '核对并更正账单' },
  { description: '夜间装修噪音影响休息', demand: '限制施工时间' },
  { description: 'The lobby door card reader rejects valid cards', demand: 'Fix the reader' },
  { description: '快递被拦在大门外，无人通知', demand: '改进快递收发流程' },
] as const;

const CHANNELS = ['phone', 'wechat', 'app', 'web', 'walk_in', 'email'] as const;
const COMPLAINANT_TYPES = ['consumer', 'tenant', 'owner', 'resident'] as const;

/** A `POST /v1/complaints` body (gateway/src/complaints/register-complaint.body.ts). */
export interface RegisterComplaint {
  propertyId: string;
  channel: string;
  complainant: { name: string; contact: string; type: string; unit: string };
  location: string;
  description: string;
  demand: string;
}

/**
 * The `seq`-th complaint of run `runId`. Routing merges a repeat by the same contact into the open
 * case and five people about one matter at one place into a collective complaint; a merged
 * complaint gets no lifecycle workflow of its own. So every complaint has a contact and a
 * location of its own (unique across runs too, for a platform that keeps its data).
 */
export function complaintBody(runId: string, seq: number): RegisterComplaint {
  const matter = MATTERS[seq % MATTERS.length];
  return {
    propertyId: PROPERTIES[seq % PROPERTIES.length],
    channel: CHANNELS[seq % CHANNELS.length],
    complainant: {
      name: `压测 Bench ${seq}`,
      contact: `bench-${runId}-${seq}@example.invalid`,
      type: COMPLAINANT_TYPES[seq % COMPLAINANT_TYPES.length],
      unit: `${(seq % 30) + 1}-${seq}`,
    },
    location: `压测区 ${runId}-${seq}`,
    description: matter.description,
    demand: matter.demand,
  };
}
