import { formatInTimeZone } from 'date-fns-tz';
import { z } from 'zod';
import { label, LANGUAGES, TEMPLATES, type Language, type TemplateKey } from '@complaints/domain';

interface Text {
  subject: string;
  text: string;
}

/**
 * The wording of each notification in the recipient's language. `{name}` placeholders are
 * filled from the message's parameters, which SMS and WeChat providers also receive for
 * their own registered templates. Complainants see their own complaint's number and times;
 * staff see the case, never the complainant's contact details.
 */
export const TEMPLATE_TEXTS: Record<TemplateKey, Record<Language, Text>> = {
  receipt: {
    'zh-CN': {
      subject: '您的投诉已受理：{number}',
      text: '您好，您在{property}的投诉已受理，编号 {number}。我们将于 {firstReplyBy} 前答复您，并于 {resolveBy} 前处理完毕。',
    },
    en: {
      subject: 'Your complaint {number} has been received',
      text: 'Your complaint at {property} has been received as {number}. We will reply by {firstReplyBy} and resolve it by {resolveBy}.',
    },
  },
  assigned: {
    'zh-CN': {
      subject: '新投诉待处理：{number}',
      text: '{property}的投诉 {number}（{severity}）已分派给您，请于 {firstReplyBy} 前首次答复投诉人。',
    },
    en: {
      subject: 'New complaint assigned: {number}',
      text: 'Complaint {number} ({severity}) at {property} is yours. First reply to the complainant by {firstReplyBy}.',
    },
  },
  progress: {
    'zh-CN': {
      subject: '投诉 {number} 处理进展',
      text: '您好，您的投诉 {number} 正在处理中，预计于 {resolveBy} 前处理完毕。',
    },
    en: {
      subject: 'Progress on complaint {number}',
      text: 'Your complaint {number} is being handled; we expect to resolve it by {resolveBy}.',
    },
  },
  approval: {
    'zh-CN': { subject: '待您审批：投诉 {number}', text: '{property}的投诉 {number} 有一项{request}等待您审批。' },
    en: {
      subject: 'Approval needed: complaint {number}',
      text: 'Complaint {number} at {property}: a {request} awaits your approval.',
    },
  },
  result: {
    'zh-CN': {
      subject: '投诉 {number} 已处理',
      text: '您好，您的投诉 {number} 已处理：{result}。我们将在三天内回访，听取您的意见。',
    },
    en: {
      subject: 'Complaint {number} resolved',
      text: 'Your complaint {number} has been resolved: {result}. We will call you within three days to hear whether you are satisfied.',
    },
  },
  not_accepted: {
    'zh-CN': {
      subject: '投诉 {number} 不予受理',
      text: '您好，您的投诉 {number} 经核实不予受理，原因：{result}。如有疑问，请联系 {property} 客服中心。',
    },
    en: {
      subject: 'Complaint {number} not accepted',
      text: 'Your complaint {number} was looked into and is not accepted: {result}. If you have questions, please contact the customer service of {property}.',
    },
  },
  not_liable: {
    'zh-CN': {
      subject: '投诉 {number} 处理说明',
      text: '您好，您反映的投诉 {number} 经调查核实，不属于我方责任范围，说明如下：{result}。感谢您的理解，如有疑问，请联系 {property} 客服中心。',
    },
    en: {
      subject: 'Complaint {number}: our findings',
      text: 'Your complaint {number} was looked into and the matter is not one we are responsible for: {result}. Thank you for your understanding; if you have questions, please contact the customer service of {property}.',
    },
  },
  reopened: {
    'zh-CN': {
      subject: '投诉 {number} 重新处理（第 {round} 轮）',
      text: '投诉人对 {number} 的处理不满意，已进入第 {round} 轮处理。',
    },
    en: {
      subject: 'Complaint {number} reopened (round {round})',
      text: 'The complainant is not satisfied with {number}; it is reopened for round {round}.',
    },
  },
  closed: {
    'zh-CN': { subject: '投诉 {number} 已办结', text: '您好，您的投诉 {number} 已办结，感谢您的监督。' },
    en: { subject: 'Complaint {number} closed', text: 'Your complaint {number} is closed. Thank you for telling us.' },
  },
  reminder: {
    'zh-CN': { subject: '即将到期：投诉 {number}', text: '投诉 {number} 的{deadline}将于 {dueAt} 到期，请及时处理。' },
    en: { subject: 'Due soon: complaint {number}', text: 'The {deadline} of complaint {number} is due at {dueAt}.' },
  },
  progress_due: {
    'zh-CN': { subject: '请向投诉人通报进展：{number}', text: '投诉 {number} 仍在处理中，请今天向投诉人通报进展。' },
    en: {
      subject: 'Progress update due: {number}',
      text: 'Complaint {number} is still open: tell the complainant how it is going today.',
    },
  },
  callback_attempt: {
    'zh-CN': {
      subject: '请再次回访：投诉 {number}',
      text: '您上次未能联系上投诉 {number} 的投诉人，请于 {dueAt} 再次回访（回访时限 {callbackBy}）。',
    },
    en: {
      subject: 'Call back again: complaint {number}',
      text: 'Your last callback for complaint {number} did not reach the complainant: try again at {dueAt} (callback due by {callbackBy}).',
    },
  },
  corrective_action_overdue: {
    'zh-CN': {
      subject: '纠正与预防措施已逾期：投诉 {number}',
      text: '您负责的投诉 {number} 的纠正与预防措施应于 {dueAt} 完成，现已逾期，请尽快落实并在系统中报告完成情况。',
    },
    en: {
      subject: 'Corrective action overdue: complaint {number}',
      text: 'The corrective and preventive action you own for complaint {number} was due {dueAt} and is overdue: carry it out and report it done.',
    },
  },
  survey: {
    'zh-CN': {
      subject: '投诉 {number} 满意度回访',
      text: '您好，您的投诉 {number} 已处理，请通过以下链接告诉我们您是否满意：{link}',
    },
    en: {
      subject: 'Are you satisfied? Complaint {number}',
      text: 'Your complaint {number} has been resolved. Please tell us whether you are satisfied: {link}',
    },
  },
  supervised: {
    'zh-CN': {
      subject: '督办：投诉 {number}',
      text: '{supervisor}对{property}的投诉 {number} 进行督办：{instructions}。请于 {dueAt} 前在系统中答复处理情况。',
    },
    en: {
      subject: 'Under supervision: complaint {number}',
      text: '{supervisor} put complaint {number} at {property} under supervision: {instructions}. Answer what was done by {dueAt}.',
    },
  },
  supervision_returned: {
    'zh-CN': {
      subject: '督办答复被退回：投诉 {number}',
      text: '{supervisor}退回了您对{property}的投诉 {number} 的督办答复：{instructions}。请补充后重新答复。',
    },
    en: {
      subject: 'Supervision answer sent back: complaint {number}',
      text: '{supervisor} sent back your answer to the supervision of complaint {number} at {property}: {instructions}. Answer again.',
    },
  },
  corrective_action_opened: {
    'zh-CN': {
      subject: '纠正与预防措施：投诉 {number}',
      text: '您负责{property}投诉 {number} 的一项纠正与预防措施：{action}。请于 {dueAt} 前落实，并在系统中报告完成情况。',
    },
    en: {
      subject: 'Corrective action: complaint {number}',
      text: 'You own a corrective and preventive action for complaint {number} at {property}: {action}. Carry it out by {dueAt} and report it done.',
    },
  },
  supervision_overdue: {
    'zh-CN': {
      subject: '督办逾期：投诉 {number}',
      text: '{property}的投诉 {number} 的督办（{supervisor}）已于 {dueAt} 到期，尚未答复，请尽快答复。',
    },
    en: {
      subject: 'Supervision overdue: complaint {number}',
      text: 'The supervision of complaint {number} at {property} (by {supervisor}) was due at {dueAt} and is not answered yet.',
    },
  },
  breach: {
    'zh-CN': { subject: '已超时：投诉 {number}', text: '投诉 {number} 的{deadline}已于 {dueAt} 超时，已逐级上报。' },
    en: {
      subject: 'Overdue: complaint {number}',
      text: 'The {deadline} of complaint {number} was missed at {dueAt}; it has been escalated.',
    },
  },
  escalation: {
    'zh-CN': {
      subject: '投诉升级：{number}',
      text: '{property}的投诉 {number}（{severity}）已升级至{level}，原因：{cause}。',
    },
    en: {
      subject: 'Complaint escalated: {number}',
      text: 'Complaint {number} ({severity}) at {property} is now with the {level}; cause: {cause}.',
    },
  },
  merged: {
    'zh-CN': {
      subject: '投诉 {number} 已合并处理',
      text: '您好，您的投诉 {number} 将与 {into} 一并处理，处理结果会同样告知您。',
    },
    en: {
      subject: 'Complaint {number} is handled together with {into}',
      text: 'Your complaint {number} is handled together with {into}; you will be told the outcome.',
    },
  },
  digest: {
    'zh-CN': { subject: '今日待办投诉（{count} 件）', text: '您名下未办结的投诉共 {count} 件：\n{items}' },
    en: { subject: 'Your open complaints today ({count})', text: 'You have {count} open complaints:\n{items}' },
  },
  handover_to_sign: {
    'zh-CN': {
      subject: '交接班待签收：{property} {day} {shift}',
      text: '{writtenBy} 已填写{property} {day} {shift}的交接班：未完成的跟进事项 {followUps} 项，未办结投诉 {openComplaints} 件。请接班人员阅读后签收。',
    },
    en: {
      subject: 'Handover to read and sign: {property}, {day} {shift}',
      text: '{writtenBy} wrote the handover of {property}, {day} {shift}: {followUps} follow-ups still open, {openComplaints} open complaints. The incoming shift reads and signs it.',
    },
  },
  ledger_day_ready: {
    'zh-CN': {
      subject: '工作台帐待审核：{property} {day}',
      text: '{property} {day} 的 {entries} 份交接班已全部签收，请审核并签署当日工作台帐。',
    },
    en: {
      subject: 'Work ledger ready for review: {property}, {day}',
      text: 'All {entries} handovers of {property} on {day} are signed: review and sign the day’s ledger.',
    },
  },
  handover_unsigned: {
    'zh-CN': {
      subject: '交接班未签收：{property} {day} {shift}',
      text: '{property} {day} {shift}的交接班（{writtenBy} 填写）于 {shiftEnd} 交班，{hours} 小时后仍未签收，其中未完成的跟进事项 {followUps} 项可能被遗漏。请接班人员尽快阅读签收。',
    },
    en: {
      subject: 'Handover not signed: {property}, {day} {shift}',
      text: 'The handover of {property}, {day} {shift} (written by {writtenBy}) ended {shiftEnd} and is still unsigned {hours} hours later: its {followUps} open follow-ups may be dropped. The incoming shift reads and signs it now.',
    },
  },
  work_order_assigned: {
    'zh-CN': {
      subject: '报修派工：{number}（{urgency}）',
      text: '报修单 {number} 已派给您：{property} {location}，{trade}，{urgency}。请于 {arriveBy} 前到场，{completeBy} 前完工。',
    },
    en: {
      subject: 'Work order assigned: {number} ({urgency})',
      text: 'Work order {number} is yours: {property}, {location}, {trade}, {urgency}. Arrive by {arriveBy} and complete by {completeBy}.',
    },
  },
  work_order_overdue: {
    'zh-CN': {
      subject: '报修超时：{number} 未按时{stage}',
      text: '报修单 {number}（{property} {location}，{trade}，{urgency}）应于 {dueAt} 前{stage}，至今未{stage}。维修人员：{assignee}。',
    },
    en: {
      subject: 'Work order overdue: {number}, {stage} missed',
      text: 'Work order {number} ({property}, {location}, {trade}, {urgency}) was due for {stage} by {dueAt} and is not there yet. Assigned to: {assignee}.',
    },
  },
  work_order_rework: {
    'zh-CN': {
      subject: '报修返工：{number}',
      text: '报修单 {number}（{property} {location}，{trade}）的报修人确认未修好（评分 {rating}），已退回给您返工（第 {reworks} 次）。请于 {completeBy} 前完工。',
    },
    en: {
      subject: 'Rework: work order {number}',
      text: 'The requester of work order {number} ({property}, {location}, {trade}) found it not fixed (rating {rating}); it is back with you for rework (time {reworks}). Complete it by {completeBy}.',
    },
  },
};

// Words of notifications only; the vocabulary itself is labelled in @complaints/domain.
const WORDS: Record<Language, Record<string, string>> = {
  'zh-CN': {
    progressUpdate: '进展通报',
    callbackAttempt: '再次回访',
    correctiveActionOverdue: '纠正与预防措施',
    extension: '延期申请',
    plan: '处理方案',
    // A work order's trade, urgency and overdue stage (报修), apart from complaints' words.
    'trade:plumbing': '给排水',
    'trade:electrical': '电气',
    'trade:hvac': '空调暖通',
    'trade:lifts': '电梯',
    'trade:civil': '土建',
    'trade:other': '其他',
    'urgency:emergency': '紧急',
    'urgency:urgent': '加急',
    'urgency:normal': '一般',
    'stage:arrival': '到场',
    'stage:completion': '完工',
    'work_order:unassigned': '尚未派工',
  },
  en: {
    progressUpdate: 'progress update',
    correctiveActionOverdue: 'corrective action',
    callbackAttempt: 'next callback attempt',
    extension: 'deadline extension',
    plan: 'handling plan',
    'trade:plumbing': 'plumbing',
    'trade:electrical': 'electrical',
    'trade:hvac': 'HVAC',
    'trade:lifts': 'lifts',
    'trade:civil': 'civil works',
    'trade:other': 'other trade',
    'urgency:emergency': 'emergency',
    'urgency:urgent': 'urgent',
    'urgency:normal': 'normal',
    'stage:arrival': 'arrival',
    'stage:completion': 'completion',
    'work_order:unassigned': 'not dispatched yet',
  },
};

/** A vocabulary word (deadline, severity, level …) in the recipient's language. */
export function word(language: Language, key: string): string {
  return WORDS[language][key] ?? label(language, key);
}

/** A work order's trade, urgency or overdue stage in the recipient's language (the id itself if unknown). */
export function workOrderWord(language: Language, kind: 'trade' | 'urgency' | 'stage', id: string): string {
  return WORDS[language][`${kind}:${id}`] ?? id;
}

/** A time as the recipient reads it: in the property's time zone, with the zone named. */
export function localTime(iso: string, timeZone: string, language: Language): string {
  if (!iso) return language === 'zh-CN' ? '（待定）' : '(to be set)';
  return formatInTimeZone(new Date(iso), timeZone, language === 'zh-CN' ? 'yyyy-MM-dd HH:mm' : 'd MMM yyyy, HH:mm zzz');
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The `{name}`s a template may use: those its shipped wording uses, in either language. */
export function templateVariables(key: TemplateKey): string[] {
  const texts = Object.values(TEMPLATE_TEXTS[key]).flatMap((text) => [text.subject, text.text]);
  return [...new Set(texts.flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((match) => match[1])))].sort();
}

/**
 * A group's own wording of some templates, per language (the rest stays as shipped). A
 * placeholder the template does not fill is refused, naming the ones it does: it would reach the
 * complainant as an empty gap.
 */
export const wordingOverrides = z
  .partialRecord(
    z.enum(TEMPLATES),
    z.partialRecord(
      z.enum(LANGUAGES),
      z.strictObject({ subject: z.string().trim().min(1).max(200), text: z.string().trim().min(1).max(2000) }),
    ),
  )
  .superRefine((wording, context) => {
    for (const [key, languages] of Object.entries(wording) as [TemplateKey, Partial<Record<Language, Text>>][]) {
      const allowed = templateVariables(key);
      for (const [language, text] of Object.entries(languages ?? {}) as [Language, Text][]) {
        for (const field of ['subject', 'text'] as const) {
          const unknown = [...text[field].matchAll(PLACEHOLDER)]
            .map((match) => match[1])
            .filter((name) => !allowed.includes(name));
          if (unknown.length > 0)
            context.addIssue({
              code: 'custom',
              path: [key, language, field],
              message: `unknown {${unknown.join('}, {')}}: this template fills {${allowed.join('}, {')}}`,
            });
        }
      }
    }
  });
export type WordingOverrides = z.infer<typeof wordingOverrides>;

/** The message in the recipient's language: the group's own wording where it has one, else the shipped one. */
export function render(
  key: TemplateKey,
  language: Language,
  params: Record<string, string>,
  wording: WordingOverrides = {},
): Text {
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => params[name] ?? '');
  const texts = wording[key]?.[language] ?? TEMPLATE_TEXTS[key][language];
  return { subject: fill(texts.subject), text: fill(texts.text) };
}

/** What a preview fills in: believable values, so an administrator sees the message as it will read. */
const SAMPLES: Record<Language, Record<string, string>> = {
  'zh-CN': {
    number: 'SHM01-20261206-0007',
    property: '浦江商业广场',
    firstReplyBy: '2026-12-06 15:00',
    resolveBy: '2026-12-09 18:00',
    dueAt: '2026-12-06 14:48',
    severity: '重要',
    result: '已更换损坏的灯具',
    link: 'https://example.com/s/abc',
    count: '3',
    day: '2026-12-06',
    shift: '早班 08:00–20:00',
    shiftEnd: '2026-12-06 20:00',
    writtenBy: '李娜',
    followUps: '2',
    openComplaints: '4',
    entries: '2',
    hours: '2',
  },
  en: {
    number: 'SHM01-20261206-0007',
    property: 'Pujiang Plaza',
    firstReplyBy: '6 Dec 2026, 15:00 CST',
    resolveBy: '9 Dec 2026, 18:00 CST',
    dueAt: '6 Dec 2026, 14:48 CST',
    severity: 'important',
    result: 'the broken lights were replaced',
    link: 'https://example.com/s/abc',
    count: '3',
    day: '2026-12-06',
    shift: 'day shift 08:00–20:00',
    shiftEnd: '6 Dec 2026, 20:00 CST',
    writtenBy: 'Li Na',
    followUps: '2',
    openComplaints: '4',
    entries: '2',
    hours: '2',
  },
};

export function sampleParams(key: TemplateKey, language: Language): Record<string, string> {
  return Object.fromEntries(templateVariables(key).map((name) => [name, SAMPLES[language][name] ?? `[${name}]`]));
}
