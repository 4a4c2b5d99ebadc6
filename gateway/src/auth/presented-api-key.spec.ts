import { presentedApiKey } from './presented-api-key';

describe('the API key a request presents', () => {
  it('reads a bearer token, whatever the case of the scheme', () => {
    expect(presentedApiKey({ authorization: 'Bearer ck_a_b' })).toBe('ck_a_b');
    expect(presentedApiKey({ authorization: 'bearer  ck_a_b ' })).toBe('ck_a_b');
  });

  it('reads X-API-Key', () => {
    expect(presentedApiKey({ 'x-api-key': ' ck_a_b ' })).toBe('ck_a_b');
  });

  it('prefers Authorization when both are sent', () => {
    expect(presentedApiKey({ authorization: 'Bearer ck_first', 'x-api-key': 'ck_second' })).toBe('ck_first');
  });

  it('finds nothing in other schemes or empty headers', () => {
    expect(presentedApiKey({})).toBeUndefined();
    expect(presentedApiKey({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(presentedApiKey({ authorization: 'Bearer' })).toBeUndefined();
    expect(presentedApiKey({ 'x-api-key': '  ' })).toBeUndefined();
  });
});
