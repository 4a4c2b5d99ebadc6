import { z } from 'zod';
import { category, channel, complainantType, language, LANGUAGES, severity } from '@complaints/domain';

const text = (max: number) => z.string().max(max, `at most ${max} characters`);

/** `POST /v1/complaints` (SPEC §2). Unknown fields are refused so typos do not vanish silently. */
export const registerComplaintBody = z.strictObject({
  propertyId: z.string().trim().min(1).max(64),
  channel,
  /** When the complainant reached us; defaults to now. Deadlines count from here. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  complainant: z.strictObject({
    name: text(100).trim().min(1),
    contact: text(100).trim().min(1),
    type: complainantType,
    /** Unit, shop or room number. */
    unit: text(100).default(''),
    anchorTenant: z.boolean().default(false),
  }),
  location: text(500).default(''),
  description: text(10_000).trim().min(1),
  demand: text(5_000).default(''),
  involvedDepartment: text(200).default(''),
  involvedStaff: text(200).default(''),
  involvedStaffId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'the staff member complained about, when known: a staff id of the group (involvedStaff defaults to their name)',
    ),
  serviceItem: text(200).default(''),
  coComplainantCount: z.number().int().min(0).max(100_000).default(0),
  confidential: z.boolean().default(false),
  /** Who may see it when confidential (保密服务): staff ids of the group; intake checks they exist. */
  confidentialStaffIds: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  language: language.default('zh-CN'),
  categoryHint: category.optional(),
  severityHint: severity.optional(),
  /** Answered fully at first contact (当场解决): registered and closed at once, with the answer. */
  resolvedAtFirstContact: z.boolean().default(false),
  firstContactAnswer: text(5_000).default(''),
  /** By when the complainant asked for it to be resolved (SPEC §5): an earlier date than the policy's becomes the resolution deadline. */
  requestedBy: z.iso.datetime({ offset: true }).optional(),
  /** When what the complaint is about happened. */
  incidentAt: z.iso.datetime({ offset: true }).optional(),
  /** A government referral (channel government_referral): the body that referred it and its own ticket number. */
  referral: z
    .strictObject({
      agency: text(200).trim().min(1).describe('the referring body, e.g. 12345 市民服务热线'),
      ticketNumber: text(64).trim().min(1).describe('the referring body’s own number for the case'),
    })
    .optional(),
});
export type RegisterComplaintBody = z.infer<typeof registerComplaintBody>;

const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .optional()
    .transform((value) =>
      value
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(item));

/** `GET /v1/complaints` query: comma-separated values mean "any of". */
export const listComplaintsQuery = z.strictObject({
  propertyId: list(z.string().min(1)),
  regionId: list(z.string().min(1)),
  status: list(z.string().min(1)),
  severity: list(severity),
  category: list(category),
  channel: list(channel),
  receivedFrom: z.iso.datetime({ offset: true }).optional(),
  receivedTo: z.iso.datetime({ offset: true }).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z
    .string()
    .max(200)
    .optional()
    .describe(
      'a complaint number or its beginning, a complainant contact (phone, e-mail, wechat:id), or words of the description, location, demand or notes (Chinese or English); all at once',
    ),
  assignedTo: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('`me` (a signed-in staff member) or a staff id: the complaints they handle or own (first contact)'),
  awaitingMyApproval: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: complaints whose proposed plan or requested extension waits for the caller’s role level'),
  team: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'true: the complaints of the people the caller leads (their department at their properties for supervisors and managers; everything in scope above)',
    ),
  actingAs: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'an API key that acts for staff: the staff member whose queue `assignedTo=me`, `awaitingMyApproval` and `team` mean',
    ),
  sort: z
    .enum(['received', 'deadline'])
    .optional()
    .describe(
      'received: newest first (the default); deadline: nearest running deadline first (the default for queues)',
    ),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListComplaintsQuery = z.infer<typeof listComplaintsQuery>;

/** `GET /v1/complaints/export`: the list's filters, search and queue, and the file's format and language. */
export const exportComplaintsQuery = listComplaintsQuery.omit({ cursor: true, limit: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  language: z.enum(LANGUAGES).default('zh-CN'),
});
export type ExportComplaintsQuery = z.infer<typeof exportComplaintsQuery>;

/** `GET /v1/complaints/{id}/timeline` query: pages of entries, oldest first. */
export const timelineQuery = z.strictObject({
  cursor: z.coerce.number().int().min(0).optional().describe('the nextCursor of the page before'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const addNoteBody = z.strictObject({ text: text(4_000).trim().min(1) });
export const withdrawBody = z.strictObject({ reason: text(2_000).default('') });

/** `POST /v1/complaints/{id}/corrections`: the fields given are set; the others stay as registered. */
export const correctionBody = z
  .strictObject({
    reason: text(2_000).trim().min(1).describe('why: recorded on the timeline with each field’s before and after'),
    propertyId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('another property of the group: routed there, its running deadlines kept'),
    location: text(500).optional(),
    description: text(10_000).trim().min(1).optional(),
    demand: text(5_000).optional(),
    complainant: z
      .strictObject({
        name: text(100).trim().min(1).optional(),
        contact: text(100).trim().min(1).optional(),
        unit: text(100).optional(),
      })
      .optional()
      .describe('personal data: the timeline shows it masked'),
    involvedStaffId: z
      .string()
      .trim()
      .max(64)
      .optional()
      .describe('the staff member complained about, found out later: a staff id of the group, or "" for nobody'),
  })
  .refine(
    (body) =>
      [body.propertyId, body.location, body.description, body.demand, body.complainant?.name]
        .concat([body.complainant?.contact, body.complainant?.unit, body.involvedStaffId])
        .some((value) => value !== undefined),
    { message: 'give at least one field to correct' },
  );
export type CorrectionBody = z.infer<typeof correctionBody>;
