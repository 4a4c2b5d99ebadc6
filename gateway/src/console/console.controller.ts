import * as fs from 'node:fs';
import * as path from 'node:path';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { GroupsRepository } from '../groups/groups.repository';
import { ConsoleConfig } from './console.config';

/**
 * The staff console (`console/`, a single-page app) at /console/: its files as built, and
 * index.html for every other path under it so deep links work. No key needed: the page holds no
 * data; the data comes from /v1 with the signed-in person's token.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly config: ConsoleConfig,
    private readonly groups: GroupsRepository,
  ) {}

  /**
   * `?group=<id>`: where that group's staff sign in (the console remembers the group it was
   * opened for); without it, the provider set in the gateway's environment.
   */
  @Get('config.json')
  async configuration(@Query('group') groupId: unknown, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    const view = this.config.publicView();
    if (typeof groupId !== 'string' || !groupId) return view;
    const group = await this.groups.forRequest(groupId);
    const provider = group?.status === 'active' ? group.identityProvider : null;
    return {
      ...view,
      group: group && group.status !== 'removed' ? { id: group._id, name: group.name, status: group.status } : null,
      oidc: provider
        ? {
            issuerUrl: provider.issuerUrl,
            clientId: provider.consoleClientId,
            scope: provider.consoleScope,
            redirectPath: '/console/callback',
          }
        : null,
    };
  }

  @Get(['', '*path'])
  serve(@Req() request: Request, @Res() response: Response): void {
    const root = this.config.directory;
    const wanted = decodeURIComponent(request.path.replace(/^\/console\/?/, ''));
    const file = path.resolve(root, wanted);
    const inside = file.startsWith(root + path.sep);
    if (inside && wanted !== '' && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Vite names assets by their content: they never change under the same name.
      const immutable = wanted.startsWith('assets/');
      response.sendFile(file, { maxAge: immutable ? '365d' : 0, immutable, dotfiles: 'deny' });
      return;
    }
    if (wanted.startsWith('assets/') || !fs.existsSync(path.join(root, 'index.html'))) {
      response
        .status(404)
        .type('text/plain')
        .send(fs.existsSync(root) ? 'not found' : 'the console is not built: run `make build`');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(path.join(root, 'index.html'));
  }
}
