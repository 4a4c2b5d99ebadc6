import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@complaints/config';

/**
 * The link a complainant answers a satisfaction survey through (SPEC §5 回访 by message). It
 * names the complaint and which survey of it, with an HMAC over both under a secret only
 * notification (which sends the link) and the gateway (which takes the answer) hold: a link
 * cannot be made up, nor changed to another complaint or survey.
 */
export interface SurveyLink {
  groupId: string;
  complaintId: string;
  survey: number;
}

/** Published with the code: `make up` and the tests only; refused in production. */
export const LOCAL_SURVEY_LINK_SECRET = 'local-only-survey-link-secret';

/** 128 bits cannot be guessed, and the text message stays short. */
const MAC_BYTES = 16;

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(`survey-link:v1:${payload}`).digest().subarray(0, MAC_BYTES);
}

export function surveyToken(secret: Buffer, link: SurveyLink): string {
  const payload = Buffer.from(JSON.stringify([link.groupId, link.complaintId, link.survey])).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** What a token links to; undefined unless it was made with the secret (forged, altered or garbled). */
export function readSurveyToken(secret: Buffer, token: string): SurveyLink | undefined {
  const [payload, given, ...rest] = token.split('.');
  if (!payload || !given || rest.length > 0) return undefined;
  const expected = mac(secret, payload);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 3) return undefined;
  const [groupId, complaintId, survey] = fields as unknown[];
  if (typeof groupId !== 'string' || typeof complaintId !== 'string' || !Number.isInteger(survey)) return undefined;
  return { groupId, complaintId, survey: survey as number };
}

/**
 * SURVEY_LINK_SECRET, the same for notification and the gateway (at least 16 characters);
 * unset, the published local one, which production refuses.
 */
export function surveyLinkSecretFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const configured = env.SURVEY_LINK_SECRET || undefined;
  if (!configured && env.NODE_ENV === 'production') {
    throw new ConfigError(['SURVEY_LINK_SECRET: required in production (the local default is public)']);
  }
  if (configured !== undefined && configured.length < 16) {
    throw new ConfigError(['SURVEY_LINK_SECRET: at least 16 characters']);
  }
  return Buffer.from(configured ?? LOCAL_SURVEY_LINK_SECRET, 'utf8');
}
