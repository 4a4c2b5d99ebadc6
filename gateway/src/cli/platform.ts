#!/usr/bin/env node
/**
 * The platform operator's command line: the same `/v1/platform/groups` API, for a terminal or a
 * script. PLATFORM_URL (the gateway) and PLATFORM_OPERATOR_KEY say where and as whom. Answers
 * are printed as JSON; a refusal prints the problem and exits 1.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: platform groups <command> [options]

  list                         every group
  show <id>                    one group
  create <id> --name <name>    a group and its first admin key (printed once)
      [--admin-key-name <name>] [sign-in options]
  update <id> [--name <name>] [sign-in options] [--no-sign-in]
  suspend <id>                 keys and sign-in refused, nobody notified; data kept
  resume <id>
  remove <id>                  a suspended group: keys revoked, id never reused
  admin-key <id> [--name <name>]   another admin key for the group

sign-in options (the group's OpenID Connect provider):
  --issuer <url> [--audience <aud>] [--staff-claim <claim>] [--group-claim <claim>]
  [--client-id <console client>] [--scope <scopes>]

environment: PLATFORM_URL (e.g. https://complaints.example.com), PLATFORM_OPERATOR_KEY`;

const OPTIONS = {
  name: { type: 'string' },
  'admin-key-name': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  'staff-claim': { type: 'string' },
  'group-claim': { type: 'string' },
  'client-id': { type: 'string' },
  scope: { type: 'string' },
  'no-sign-in': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function identityProvider(values: Values): Record<string, string> | null | undefined {
  if (values['no-sign-in']) return null;
  if (!values.issuer) return undefined;
  const provider: Record<string, string> = { issuerUrl: values.issuer };
  if (values.audience) provider.audience = values.audience;
  if (values['staff-claim']) provider.staffClaim = values['staff-claim'];
  if (values['group-claim']) provider.groupClaim = values['group-claim'];
  if (values['client-id']) provider.consoleClientId = values['client-id'];
  if (values.scope) provider.consoleScope = values.scope;
  return provider;
}

/** The request a command makes: method, path below /v1/platform/groups, body. */
function requestOf(command: string, id: string | undefined, values: Values): [string, string, unknown?] {
  const needId = () => {
    if (!id) throw new UsageError(`${command} needs a group id`);
    return id;
  };
  const at = () => `/${encodeURIComponent(needId())}`;
  switch (command) {
    case 'list':
      return ['GET', ''];
    case 'show':
      return ['GET', at()];
    case 'create':
      if (!values.name) throw new UsageError('create needs --name');
      return [
        'POST',
        '',
        {
          id: needId(),
          name: values.name,
          identityProvider: identityProvider(values) ?? null,
          ...(values['admin-key-name'] ? { firstAdminKeyName: values['admin-key-name'] } : {}),
        },
      ];
    case 'update': {
      const provider = identityProvider(values);
      return [
        'PATCH',
        at(),
        {
          ...(values.name ? { name: values.name } : {}),
          ...(provider !== undefined ? { identityProvider: provider } : {}),
        },
      ];
    }
    case 'suspend':
    case 'resume':
      return ['POST', `${at()}/${command}`, {}];
    case 'remove':
      return ['DELETE', at()];
    case 'admin-key':
      return ['POST', `${at()}/admin-keys`, values.name ? { name: values.name } : {}];
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

class UsageError extends Error {}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const [noun, command, id] = parsed.positionals;
  if (parsed.values.help || noun !== 'groups' || !command) {
    console.error(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const base = env.PLATFORM_URL;
  const key = env.PLATFORM_OPERATOR_KEY;
  if (!base || !key) {
    console.error('set PLATFORM_URL and PLATFORM_OPERATOR_KEY');
    return 2;
  }
  let method: string, path: string, body: unknown;
  try {
    [method, path, body] = requestOf(command, id, parsed.values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const response = await fetch(new URL(`/v1/platform/groups${path}`, base), {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const answer: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) {
    console.error(JSON.stringify(answer, null, 2));
    return 1;
  }
  console.log(JSON.stringify(answer, null, 2));
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
