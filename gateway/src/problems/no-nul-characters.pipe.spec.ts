import { ValidationProblem } from './errors';
import { NoNulCharacters, nulPaths } from './no-nul-characters.pipe';

describe('NoNulCharacters', () => {
  const pipe = new NoNulCharacters();
  const problem = (run: () => unknown): ValidationProblem => {
    try {
      run();
    } catch (error) {
      if (error instanceof ValidationProblem) return error;
      throw error;
    }
    throw new Error('expected a ValidationProblem');
  };

  it('passes values without U+0000 through unchanged', () => {
    const body = { description: '停车场电梯停运', items: [{ name: 'a' }, 1, null, true] };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform('e18064c5', { type: 'param', data: 'id' })).toBe('e18064c5');
  });

  it('names every string and key of a body that holds U+0000', () => {
    const body = { complainant: { name: 'a\u0000b' }, photos: ['ok', 'x\u0000'], 'bad\u0000key': 1 };
    const invalid = problem(() => pipe.transform(body, { type: 'body' })).invalidParams ?? [];
    expect(invalid.map((param) => param.name)).toEqual(['bad\u0000key', 'complainant.name', 'photos.1']);
    for (const param of invalid) expect(param.reason).toContain('U+0000');
    expect(problem(() => pipe.transform('\u0000', { type: 'body' })).invalidParams?.[0].name).toBe('(body)');
  });

  it('names the path or query parameter', () => {
    expect(problem(() => pipe.transform('a\u0000', { type: 'param', data: 'id' })).invalidParams?.[0].name).toBe('id');
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { cursor: '\u0000' });
    expect(problem(() => pipe.transform(query, { type: 'query' })).invalidParams?.[0].name).toBe('cursor');
  });

  it('leaves custom decorators (the caller) alone', () => {
    const caller = { name: '\u0000' };
    expect(pipe.transform(caller, { type: 'custom' })).toBe(caller);
  });

  it('walks a deeply nested body without exhausting the stack', () => {
    let nested: unknown = '\u0000';
    for (let depth = 0; depth < 100_000; depth++) nested = [nested];
    expect(nulPaths(nested)).toEqual([Array.from({ length: 100_000 }, () => '0').join('.')]);
  });
});
