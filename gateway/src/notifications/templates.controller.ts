import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LANGUAGES } from '@complaints/domain';
import { z } from 'zod';
import { Audited } from '../audit/audited.decorator';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerActor } from '../auth/caller';
import { NotificationClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';

const wordingBody = z.strictObject({
  subject: z.string().trim().min(1).max(200).describe('`{variable}`s as the template lists them'),
  text: z.string().trim().min(1).max(2000),
});
const previewBody = wordingBody.extend({
  template: z.string().min(1).max(64),
  language: z.enum(LANGUAGES),
});
const text = z.object({ subject: z.string(), text: z.string() });
const templateView = z.object({
  template: z.string(),
  variables: z.array(z.string()).describe('what `{…}` the template may use'),
  shipped: z.record(z.string(), text).describe('the wording the platform ships, per language'),
  group: z.record(z.string(), text).describe('the group’s own wording, per language (empty: the shipped one is used)'),
});
type TemplateView = z.infer<typeof templateView>;
const templateList = z.object({ items: z.array(templateView) });

/**
 * The wording of the group's notifications (SPEC §7): each template in zh-CN and en as shipped,
 * the group's own where it wrote one, the variables it may use, and a preview with sample values.
 * The wording is part of the notification settings (`wording`), which these routes change one
 * template and language at a time.
 */
@ApiTags('notifications')
@AdminOnly()
@Controller('v1/admin/notification-templates')
export class NotificationTemplatesController {
  constructor(private readonly notification: NotificationClient) {}

  @Get()
  @ApiOperation({ summary: 'Every notification template: its variables, the shipped wording and the group’s own' })
  @ApiZodResponse(200, 'NotificationTemplates', templateList, 'The templates.')
  async list(@Caller() caller: Caller): Promise<{ items: TemplateView[] }> {
    const { templatesJson } = await this.notification.call.listTemplates({ groupId: caller.groupId });
    return { items: JSON.parse(templatesJson) as TemplateView[] };
  }

  /** One template as it stands (for the audit's before and after). */
  async one(caller: Caller, template: string): Promise<TemplateView | null> {
    return (await this.list(caller)).items.find((item) => item.template === template) ?? null;
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'A wording rendered with sample values; 400 names the variables the template may use' })
  @ApiZodBody('TemplatePreviewRequest', previewBody)
  @ApiZodResponse(200, 'TemplatePreview', text, 'The subject and text as a recipient would read them.')
  async preview(@Caller() caller: Caller, @Body(new ZodBody(previewBody)) body: z.infer<typeof previewBody>) {
    await this.known(caller, body.template);
    return this.notification.call.previewTemplate({ groupId: caller.groupId, ...body });
  }

  @Put(':template/:language')
  @Audited<NotificationTemplatesController>('notification_template', (c, caller, p) => c.one(caller, p.template))
  @ApiOperation({ summary: 'Set the group’s own wording of a template in one language' })
  @ApiZodBody('TemplateWording', wordingBody)
  @ApiZodResponse(200, 'NotificationTemplate', templateView, 'The template with the group’s wording.')
  @ApiProblems('not-found')
  async put(
    @Caller() caller: Caller,
    @Param('template') template: string,
    @Param('language') language: string,
    @Body(new ZodBody(wordingBody)) body: z.infer<typeof wordingBody>,
  ): Promise<TemplateView> {
    return this.change(caller, template, language, body);
  }

  @Delete(':template/:language')
  @Audited<NotificationTemplatesController>('notification_template', (c, caller, p) => c.one(caller, p.template))
  @ApiOperation({ summary: 'Back to the shipped wording of a template in one language' })
  @ApiZodResponse(200, 'NotificationTemplate', templateView, 'The template as shipped in that language.')
  @ApiProblems('not-found')
  async reset(
    @Caller() caller: Caller,
    @Param('template') template: string,
    @Param('language') language: string,
  ): Promise<TemplateView> {
    return this.change(caller, template, language, null);
  }

  private async known(caller: Caller, template: string): Promise<void> {
    if (!(await this.one(caller, template)))
      throw new ValidationProblem([{ name: 'template', reason: `no template ${template}` }]);
  }

  /** Read, change one wording, save the settings (notification checks the variables). */
  private async change(
    caller: Caller,
    template: string,
    language: string,
    wording: z.infer<typeof wordingBody> | null,
  ): Promise<TemplateView> {
    if (!(LANGUAGES as readonly string[]).includes(language))
      throw new ValidationProblem([{ name: 'language', reason: `one of ${LANGUAGES.join(', ')}` }]);
    await this.known(caller, template);
    const { settingsJson } = await this.notification.call.getNotificationSettings({ groupId: caller.groupId });
    const settings = JSON.parse(settingsJson) as { wording?: Record<string, Record<string, unknown>> };
    const all = { ...(settings.wording ?? {}) };
    const languages = { ...(all[template] ?? {}) };
    if (wording) languages[language] = wording;
    else delete languages[language];
    if (Object.keys(languages).length > 0) all[template] = languages;
    else delete all[template];
    await this.notification.call.putNotificationSettings({
      groupId: caller.groupId,
      settingsJson: JSON.stringify({ ...settings, wording: all }),
      actor: callerActor(caller),
    });
    return (await this.one(caller, template)) as TemplateView;
  }
}
