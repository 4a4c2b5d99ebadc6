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

/**
 * A token carrying a few fields under an HMAC: `<payload>.<mac>`, both base64url. The purpose is
 * part of what is signed, so a token made for one purpose is nothing for another.
 */
export function signedToken(secret: Buffer, purpose: string, fields: unknown[]): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${mac(secret, purpose, payload).toString('base64url')}`;
}

/** The fields of a token made with the secret for this purpose; undefined when forged, altered or garbled. */
export function readSignedToken(secret: Buffer, purpose: string, token: string): unknown[] | undefined {
  const [payload, given, ...rest] = token.split('.');
  if (!payload || !given || rest.length > 0) return undefined;
  const expected = mac(secret, purpose, payload);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  try {
    const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return Array.isArray(fields) ? (fields as unknown[]) : undefined;
  } catch {
    return undefined;
  }
}

function mac(secret: Buffer, purpose: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}:${payload}`).digest().subarray(0, MAC_BYTES);
}

const SURVEY_LINK = 'survey-link:v1';

export function surveyToken(secret: Buffer, link: SurveyLink): string {
  return signedToken(secret, SURVEY_LINK, [link.groupId, link.complaintId, link.survey]);
}

/** What a token links to; undefined unless it was made with the secret (forged, altered or garbled). */
export function readSurveyToken(secret: Buffer, token: string): SurveyLink | undefined {
  const fields = readSignedToken(secret, SURVEY_LINK, token);
  if (!fields || fields.length !== 3) return undefined;
  const [groupId, complaintId, survey] = fields;
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
