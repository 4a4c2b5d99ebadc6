import { ConfigError } from '@complaints/config';
import { readSignedToken, readSurveyToken, signedToken, surveyLinkSecretFromEnv, surveyToken } from './survey-link';

describe('survey links', () => {
  const secret = Buffer.from('a-survey-secret-of-enough-length');
  const link = { groupId: 'demo-group', complaintId: '0b6c1f9e-1d2a-4c55-9f1e-6a3b2c1d0e9f', survey: 2 };

  it('reads back what it made, and nothing made without the secret or changed since', () => {
    const token = surveyToken(secret, link);
    expect(readSurveyToken(secret, token)).toEqual(link);
    expect(readSurveyToken(Buffer.from('another-secret-of-enough-length'), token)).toBeUndefined();
    const [, mac] = token.split('.');
    const otherSurvey = Buffer.from(JSON.stringify([link.groupId, link.complaintId, 3])).toString('base64url');
    expect(readSurveyToken(secret, `${otherSurvey}.${mac}`)).toBeUndefined();
    for (const garbled of ['', '.', 'abc', `${token}.x`, `${token.slice(0, -2)}`]) {
      expect(readSurveyToken(secret, garbled)).toBeUndefined();
    }
  });

  it('keeps a token to the purpose it was made for', () => {
    const token = signedToken(secret, 'complainant-view:v1', ['demo-group', 'c-1', 1_700_000_000_000]);
    expect(readSignedToken(secret, 'complainant-view:v1', token)).toEqual(['demo-group', 'c-1', 1_700_000_000_000]);
    expect(readSignedToken(secret, 'survey-link:v1', token)).toBeUndefined();
    expect(readSurveyToken(secret, token)).toBeUndefined();
  });

  it('needs its own secret in production, of at least 16 characters', () => {
    expect(() => surveyLinkSecretFromEnv({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => surveyLinkSecretFromEnv({ SURVEY_LINK_SECRET: 'short' })).toThrow(/at least 16/);
    expect(surveyLinkSecretFromEnv({ SURVEY_LINK_SECRET: 'a-survey-secret-of-enough-length' })).toEqual(secret);
    expect(surveyLinkSecretFromEnv({}).length).toBeGreaterThan(0);
  });
});
