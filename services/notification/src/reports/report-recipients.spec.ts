import { v1 } from '@complaints/contracts';
import { reportMail } from './report-mail';
import { parseReportScope, reportRecipients } from './report-recipients';

const staff = (id: string, roleLevel: string, where: { propertyIds?: string[]; regionId?: string } = {}) =>
  v1.Staff.fromPartial({ id, roleLevel, propertyIds: where.propertyIds ?? [], regionId: where.regionId ?? '' });

const directory = [
  staff('hq-2', 'group_hq'),
  staff('hq-1', 'group_hq'),
  staff('gm-east', 'regional_gm', { regionId: 'east' }),
  staff('gm-south', 'regional_gm', { regionId: 'south' }),
  staff('head-mall', 'property_head', { propertyIds: ['sh-mall'] }),
  staff('head-both', 'property_head', { propertyIds: ['sh-tower', 'sh-mall'] }),
  // A manager of the mall is no head of it, and an unscoped GM heads no region.
  staff('manager-mall', 'manager', { propertyIds: ['sh-mall'] }),
  staff('gm-nowhere', 'regional_gm'),
];

const ids = (scope: string) => reportRecipients(directory, parseReportScope(scope)!).map((member) => member.id);

describe('who receives a scheduled report', () => {
  it('sends the group’s to headquarters, a region’s to its GMs, a property’s to its heads', () => {
    expect(ids('group')).toEqual(['hq-1', 'hq-2']);
    expect(ids('region:east')).toEqual(['gm-east']);
    expect(ids('region:west')).toEqual([]);
    expect(ids('property:sh-mall')).toEqual(['head-both', 'head-mall']);
    expect(ids('property:sh-tower')).toEqual(['head-both']);
  });

  it('knows only the scopes reporting names', () => {
    expect(parseReportScope('region:')).toBeNull();
    expect(parseReportScope('department:x')).toBeNull();
    expect(parseReportScope('property:a|b')).toBeNull();
  });

  it('words the mail in the group’s language, naming the scope and the days of the period', () => {
    const input = {
      kind: 'month',
      key: '2026-11',
      scope: 'region:east',
      scopeName: '华东区域 East China',
      firstDay: '2026-11-01',
      lastDay: '2026-11-30',
    };
    expect(reportMail('zh-CN', input).subject).toBe('投诉统计月报：华东区域 East China 2026-11');
    expect(reportMail('zh-CN', input).text).toContain('华东区域 East China 2026-11（2026-11-01 至 2026-11-30）');
    expect(reportMail('en', { ...input, scope: 'group', scopeName: '' }).subject).toBe(
      'Complaints monthly report: Group 2026-11',
    );
  });
});
