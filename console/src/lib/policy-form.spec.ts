import {
  joinDuration,
  policyDocument,
  policyFormState,
  splitDuration,
  type PolicyView,
  type SeverityPolicy,
} from './policy-form';

const general: SeverityPolicy = {
  firstReply: { duration: 'PT1H', basis: 'calendar' },
  resolution: { duration: 'P2D', basis: 'calendar' },
  callback: { duration: 'P3D', basis: 'calendar' },
  callbackAttempts: 3,
  callbackRetryAfter: { duration: 'PT4H', basis: 'calendar' },
  approver: 'manager',
  reminderAt: 0.8,
  progressUpdateEvery: null,
  autoUpgradeAfter: { duration: 'P30D', basis: 'calendar' },
  startLevel: 'frontline',
  notifyOnReceipt: [],
};
const effective: PolicyView['effective'] = {
  severities: {
    general,
    important: { ...general, approver: 'property_head', notifyOnReceipt: ['manager'] },
    major: { ...general, approver: 'regional_gm', progressUpdateEvery: { duration: 'P1D', basis: 'calendar' } },
  },
  letterFirstReply: { duration: 'P2D', basis: 'working' },
  workOrders: {
    emergency: { arrive: { duration: 'PT30M', basis: 'calendar' }, complete: { duration: 'PT4H', basis: 'calendar' } },
    urgent: { arrive: { duration: 'PT2H', basis: 'working' }, complete: { duration: 'P1D', basis: 'working' } },
    normal: { arrive: { duration: 'P1D', basis: 'working' }, complete: { duration: 'P3D', basis: 'working' } },
  },
};

describe('the deadline policy form', () => {
  it('sends back only what the scope sets, unchanged', () => {
    const own = { ...general, resolution: { duration: 'P1D', basis: 'working' as const } };
    const view: PolicyView = { policy: { severities: { general: own } }, effective };
    const state = policyFormState(view);
    expect(state.severities.general).toEqual({ own: true, policy: own });
    expect(state.severities.major).toEqual({ own: false, policy: effective.severities.major });
    expect(state.letter.own).toBe(false);
    expect(policyDocument(state)).toEqual({ severities: { general: own } });
  });

  it('takes a severity and the letter rule as the scope’s own from what applies now', () => {
    const state = policyFormState({ policy: null, effective });
    state.severities.important.own = true;
    state.letter = { own: true, limit: { duration: 'P1D', basis: 'working' } };
    expect(policyDocument(state)).toEqual({
      severities: { important: effective.severities.important },
      letterFirstReply: { duration: 'P1D', basis: 'working' },
    });
    // The form's copy is its own: editing it leaves what was read alone.
    state.severities.important.policy.notifyOnReceipt.push('group_hq');
    expect(effective.severities.important.notifyOnReceipt).toEqual(['manager']);
  });

  it('sends the work-order limits of the urgencies the scope takes as its own, and only those', () => {
    const fast = {
      arrive: { duration: 'PT15M', basis: 'calendar' as const },
      complete: effective.workOrders.emergency.complete,
    };
    const state = policyFormState({ policy: { workOrders: { emergency: fast } }, effective });
    expect(state.workOrders.emergency).toEqual({ own: true, limits: fast });
    expect(state.workOrders.normal).toEqual({ own: false, limits: effective.workOrders.normal });
    expect(policyDocument(state)).toEqual({ severities: {}, workOrders: { emergency: fast } });
    state.workOrders.emergency.own = false;
    expect(policyDocument(state)).toEqual({ severities: {} });
    state.workOrders.urgent.own = true;
    state.workOrders.urgent.limits.arrive.duration = 'PT1H';
    expect(policyDocument(state).workOrders).toEqual({
      urgent: { ...effective.workOrders.urgent, arrive: { duration: 'PT1H', basis: 'working' } },
    });
    expect(effective.workOrders.urgent.arrive.duration).toBe('PT2H');
  });

  it('shows a duration as an amount and a unit, and mixed units as written', () => {
    expect(splitDuration('PT1H')).toEqual({ amount: 1, unit: 'hours' });
    expect(splitDuration('P30D')).toEqual({ amount: 30, unit: 'days' });
    expect(splitDuration('PT45M')).toEqual({ amount: 45, unit: 'minutes' });
    expect(splitDuration('PT1H30M')).toBeNull();
    expect(splitDuration('P1M')).toBeNull();
    expect(joinDuration('3', 'days')).toBe('P3D');
    expect(joinDuration(' 24 ', 'hours')).toBe('PT24H');
    expect(joinDuration('90', 'minutes')).toBe('PT90M');
  });
});
