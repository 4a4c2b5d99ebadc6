import { createHash, randomUUID } from 'node:crypto';
import type { PreloadComplaint } from './complaint';
import { demoGroupSeed } from './seed';

interface Seed {
  groupId: string;
  properties: { id: string; regionId: string; code: string }[];
  departments: { id: string; propertyId: string; name: string; kind: string }[];
  staff: { id: string; name: string; roleLevel: string; departmentId?: string; propertyIds: string[] }[];
}

const CATEGORY_BY_DEPARTMENT: Record<string, string[]> = {
  customer_service: ['service_quality', 'suggestion', 'other'],
  operations: ['goods_quality', 'contract', 'environment_public_area'],
  security: ['safety_security'],
  engineering: ['facilities_equipment', 'repair'],
  finance: ['price_charges'],
  butler: ['service_quality', 'repair'],
};

const MATTERS = [
  ['停车场电梯停运半小时', '地下二层电梯厅', '尽快修复'],
  ['会议室空调不制冷', '18楼会议室', '请派工程部检查'],
  ['卫生间洗手液缺货，地面湿滑', '三楼卫生间', '及时补充并清洁'],
  ['物业费账单金额与合同不符', '业主服务中心', '核对并更正账单'],
  ['夜间装修噪音影响休息', '5栋', '限制施工时间'],
  ['The lobby door card reader rejects valid cards', 'Lobby, gate 2', 'Fix the reader'],
] as const;

const CHANNELS = ['phone', 'wechat', 'app', 'web', 'walk_in', 'email', 'hotline_400'];
const DAY_MS = 24 * 60 * 60 * 1000;

const seed = (): Seed => demoGroupSeed<Seed>();

/** YYYYMMDD in China time (every seeded property is in Asia/Shanghai). */
function localDay(at: Date): string {
  return new Date(at.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * A group's year of complaints, oldest first, deterministic for a given count: spread over the
 * last 365 days, 97% closed (open ones are recent), one complainant in ten complains again.
 * Yields batches so that no run holds 50,000 complaints' worth of documents at once.
 */
export function* preloadBatches(count: number, batchSize: number, now = new Date()): Generator<PreloadComplaint[]> {
  const { groupId, properties, departments, staff } = seed();
  const sequenceByDay = new Map<string, number>();
  let batch: PreloadComplaint[] = [];
  for (let i = 0; i < count; i++) {
    const property = properties[i % properties.length];
    const ownDepartments = departments.filter((d) => d.propertyId === property.id);
    const department = ownDepartments[(i * 7) % ownDepartments.length];
    const categories = CATEGORY_BY_DEPARTMENT[department.kind] ?? ['other'];
    const handler =
      staff.find((s) => s.departmentId === department.id) ??
      staff.find((s) => s.propertyIds.includes(property.id) && s.roleLevel !== 'property_head') ??
      staff[0];
    const head = staff.find((s) => s.roleLevel === 'property_head' && s.propertyIds.includes(property.id)) ?? staff[0];
    // Oldest first: complaint i of count is received (count - i) / count of a year ago.
    const receivedAt = new Date(now.getTime() - Math.floor(((count - i) / count) * 365 * DAY_MS) + (i % 3_600) * 1000);
    const open = now.getTime() - receivedAt.getTime() < 10 * DAY_MS && i % 3 === 0;
    const closedAt = open ? null : new Date(receivedAt.getTime() + (1 + (i % 5)) * DAY_MS);
    const day = localDay(receivedAt);
    const dayKey = `${property.code}:${day}`;
    const sequence = (sequenceByDay.get(dayKey) ?? 0) + 1;
    sequenceByDay.set(dayKey, sequence);
    const [description, location, demand] = MATTERS[i % MATTERS.length];
    const complainant = i % 10 === 0 ? Math.floor(i / 100) : i;
    batch.push({
      id: randomUUID(),
      groupId,
      number: `${property.code}-${day}-${String(sequence).padStart(4, '0')}`,
      propertyId: property.id,
      propertyCode: property.code,
      regionId: property.regionId,
      channel: CHANNELS[i % CHANNELS.length],
      category: categories[i % categories.length],
      severity: i % 50 === 0 ? 'major' : i % 5 === 0 ? 'important' : 'general',
      department: department.name,
      departmentId: department.id,
      handler: { id: handler.id, name: handler.name },
      propertyHead: { id: head.id, name: head.name },
      receivedAt,
      closedAt,
      status: open ? (['assigned', 'acknowledged', 'investigating'] as const)[i % 3] : 'closed',
      description: `${description}（第 ${i + 1} 起）`,
      location: `${location} ${(i % 40) + 1}`,
      demand,
      complainantKey: createHash('sha256').update(`bench-complainant-${complainant}`).digest('hex'),
      idempotencyKey: `preload-${i + 1}`,
      eventIds: Array.from({ length: open ? 3 : 5 }, () => randomUUID()),
    });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
