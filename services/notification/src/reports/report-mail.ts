import type { Language } from '@complaints/domain';

export interface ReportMailInput {
  kind: string;
  key: string;
  /** `group`, `region:<id>` or `property:<id>`. */
  scope: string;
  /** The region's or property's name; empty for the group. */
  scopeName: string;
  /** The period's first and last day in the group's zone. */
  firstDay: string;
  lastDay: string;
}

const WORDS = {
  'zh-CN': {
    week: '周报',
    month: '月报',
    group: '集团',
    subject: '投诉统计{report}：{scope} {key}',
    text:
      '您好，\n\n附件是{scope} {key}（{first} 至 {last}）的投诉统计{report}：汇总指标、按区域/项目/部门/类别/等级/渠道/处理人的分布、' +
      '重复问题、排行和重大投诉。\n\n此邮件由投诉处理平台按计划发送。',
  },
  en: {
    week: 'weekly report',
    month: 'monthly report',
    group: 'Group',
    subject: 'Complaints {report}: {scope} {key}',
    text:
      'Hello,\n\nAttached is the complaints {report} of {scope} for {key} ({first} to {last}): the summary figures, the ' +
      'breakdowns by region, property, department, category, severity, channel and handler, recurring problems, top ' +
      'items and major complaints.\n\nThis mail is sent on schedule by the complaint platform.',
  },
} as const;

/** The mail that carries a scheduled report to a head of its scope, in the group's report language. */
export function reportMail(language: Language, input: ReportMailInput): { subject: string; text: string } {
  const words = WORDS[language];
  const values: Record<string, string> = {
    report: input.kind === 'month' ? words.month : words.week,
    scope: input.scope === 'group' ? words.group : input.scopeName || input.scope,
    key: input.key,
    first: input.firstDay,
    last: input.lastDay,
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  return { subject: fill(words.subject), text: fill(words.text) };
}
