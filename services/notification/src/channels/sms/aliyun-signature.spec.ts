import { createHmac } from 'node:crypto';
import { canonicalizedQuery, percentEncode, rpcSignature, stringToSign } from './aliyun-signature';

describe('Aliyun RPC signature v1', () => {
  it('reproduces the SendSms example of the Aliyun SMS signing guide', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(rpcSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('encodes by RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are', () => {
    expect(percentEncode("a b+c*d~e!f'g(h)i/j")).toBe('a%20b%2Bc%2Ad~e%21f%27g%28h%29i%2Fj');
    expect(percentEncode('投诉')).toBe('%E6%8A%95%E8%AF%89');
  });

  it('signs POST requests over the sorted, doubly encoded query', () => {
    const params = { Timestamp: '2024-05-01T08:00:00Z', TemplateParam: '{"n":"A&B 1"}', AccessKeyId: 'id' };
    // Built by hand: sorted by name, each name and value encoded once, then the whole query again.
    const query = 'AccessKeyId=id&TemplateParam=%7B%22n%22%3A%22A%26B%201%22%7D&Timestamp=2024-05-01T08%3A00%3A00Z';
    const toSign =
      'POST&%2F&AccessKeyId%3Did%26TemplateParam%3D%257B%2522n%2522%253A%2522A%2526B%25201%2522%257D' +
      '%26Timestamp%3D2024-05-01T08%253A00%253A00Z';
    expect(canonicalizedQuery(params)).toBe(query);
    expect(stringToSign('POST', params)).toBe(toSign);
    expect(rpcSignature('POST', params, 'secret')).toBe(createHmac('sha1', 'secret&').update(toSign).digest('base64'));
  });

  it('sorts by name with upper case before lower case, as the gateway does', () => {
    expect(canonicalizedQuery({ b: '1', A: '2', a: '3', B: '4' })).toBe('A=2&B=4&a=3&b=1');
  });
});
