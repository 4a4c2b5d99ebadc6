import {
  callbackRetry,
  DEFAULT_POLICY,
  effectivePolicy,
  policyOverrideSchema,
  type SeverityPolicy,
} from './deadline-policy';

describe('deadline policy (SPEC §5)', () => {
  const major = (firstReply: string): SeverityPolicy => ({
    ...DEFAULT_POLICY.severities.major,
    firstReply: { duration: firstReply, basis: 'calendar' },
  });

  it('defaults to the SPEC §5 table', () => {
    const { general, important, major: majorPolicy } = effectivePolicy([]).severities;
    expect([general.firstReply.duration, important.firstReply.duration, majorPolicy.firstReply.duration]).toEqual([
      'PT1H',
      'PT3H',
      'PT24H',
    ]);
    expect([general.resolution.duration, important.resolution.duration, majorPolicy.resolution.duration]).toEqual([
      'P2D',
      'P3D',
      'P7D',
    ]);
    expect([general.approver, important.approver, majorPolicy.approver]).toEqual([
      'manager',
      'property_head',
      'regional_gm',
    ]);
    expect(general.callback.duration).toBe('P3D');
    expect(effectivePolicy([]).letterFirstReply).toEqual({ duration: 'P2D', basis: 'working' });
  });

  it('lets the most specific scope win, severity by severity', () => {
    const group = policyOverrideSchema.parse({ severities: { major: major('PT12H') } });
    const region = policyOverrideSchema.parse({ severities: { major: major('PT6H') } });
    const property = policyOverrideSchema.parse({
      severities: {
        general: { ...DEFAULT_POLICY.severities.general, resolution: { duration: 'P1D', basis: 'working' } },
      },
    });
    const policy = effectivePolicy([group, region, property]);
    expect(policy.severities.major.firstReply.duration).toBe('PT6H');
    expect(policy.severities.general.resolution).toEqual({ duration: 'P1D', basis: 'working' });
    expect(policy.severities.important).toEqual(DEFAULT_POLICY.severities.important);
    // The defaults themselves are never changed by a merge.
    expect(DEFAULT_POLICY.severities.major.firstReply.duration).toBe('PT24H');
  });

  it('retries callbacks 3 times, 4 hours apart, unless a scope sets its own', () => {
    expect(callbackRetry(DEFAULT_POLICY.severities.general)).toEqual({
      attempts: 3,
      after: { duration: 'PT4H', basis: 'calendar' },
    });
    // A severity stored before retries were settings gets the defaults; a scope may set them.
    const { callbackAttempts: _attempts, callbackRetryAfter: _after, ...stored } = DEFAULT_POLICY.severities.general;
    const region = policyOverrideSchema.parse({
      severities: {
        general: stored,
        major: { ...major('PT6H'), callbackAttempts: 5, callbackRetryAfter: { duration: 'PT2H', basis: 'working' } },
      },
    });
    const policy = effectivePolicy([region]);
    expect(callbackRetry(policy.severities.general).attempts).toBe(3);
    expect(callbackRetry(policy.severities.major)).toEqual({
      attempts: 5,
      after: { duration: 'PT2H', basis: 'working' },
    });
    expect(
      policyOverrideSchema.safeParse({ severities: { major: { ...major('PT6H'), callbackAttempts: 0 } } }).success,
    ).toBe(false);
  });

  it('names what is wrong in an override', () => {
    const result = policyOverrideSchema.safeParse({
      severities: { important: { ...DEFAULT_POLICY.severities.important, reminderAt: 1.5, approver: 'boss' } },
      extra: true,
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['severities.important.reminderAt', 'severities.important.approver', '']),
    );
  });

  it('defaults work-order limits to the shipped ones and lets a scope replace an urgency whole', () => {
    expect(effectivePolicy([]).workOrders.emergency).toEqual({
      arrive: { duration: 'PT30M', basis: 'calendar' },
      complete: { duration: 'PT4H', basis: 'calendar' },
    });
    const fast = {
      arrive: { duration: 'PT15M', basis: 'calendar' },
      complete: { duration: 'PT2H', basis: 'calendar' },
    } as const;
    const group = policyOverrideSchema.parse({ workOrders: { emergency: fast } });
    const property = policyOverrideSchema.parse({
      workOrders: {
        normal: { arrive: { duration: 'PT4H', basis: 'working' }, complete: { duration: 'P2D', basis: 'working' } },
      },
    });
    const policy = effectivePolicy([group, undefined, property]);
    expect(policy.workOrders.emergency).toEqual(fast);
    expect(policy.workOrders.normal.arrive.duration).toBe('PT4H');
    expect(policy.workOrders.urgent).toEqual(DEFAULT_POLICY.workOrders.urgent);
    // Severities untouched by a policy that sets only work-order limits.
    expect(policy.severities).toEqual(DEFAULT_POLICY.severities);
    expect(DEFAULT_POLICY.workOrders.emergency.arrive.duration).toBe('PT30M');
  });

  it('names each wrong work-order limit: a zero or malformed duration, an unknown basis or urgency, arrival after completion', () => {
    const result = policyOverrideSchema.safeParse({
      workOrders: {
        emergency: {
          arrive: { duration: 'PT0M', basis: 'calendar' },
          complete: { duration: 'PT4H', basis: 'calendar' },
        },
        urgent: { arrive: { duration: 'PT2H', basis: 'sometimes' }, complete: { duration: 'soon', basis: 'working' } },
        normal: { arrive: { duration: 'P3D', basis: 'working' }, complete: { duration: 'P1D', basis: 'working' } },
        whenever: { arrive: { duration: 'P1D', basis: 'working' }, complete: { duration: 'P3D', basis: 'working' } },
      },
    });
    expect(result.success).toBe(false);
    const issues = Object.fromEntries(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? []);
    expect(issues['workOrders.emergency.arrive.duration']).toMatch(/zero/);
    expect(issues['workOrders.urgent.arrive.basis']).toBeDefined();
    expect(issues['workOrders.urgent.complete.duration']).toMatch(/not an ISO-8601 duration/);
    expect(issues['workOrders.normal.arrive']).toMatch(/longer than complete/);
    expect(Object.keys(issues)).toEqual(expect.arrayContaining(['workOrders']));
    // The urgent entry's own problems are not hidden behind, nor joined by, a comparison.
    expect(issues['workOrders.urgent.arrive']).toBeUndefined();
  });
});
