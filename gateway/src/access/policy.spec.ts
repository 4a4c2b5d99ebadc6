import type { RoleLevel } from '@complaints/domain';
import { ACTIONS, decide, listScope, type Action, type ComplaintResource, type Principal } from './policy';

// The demo group's shape: sh-mall in region east, gz-estate in region south.
const complaint = (overrides: Partial<ComplaintResource> = {}): ComplaintResource => ({
  kind: 'complaint',
  propertyId: 'sh-mall',
  regionId: 'east',
  department: 'engineering',
  confidential: false,
  confidentialStaffIds: [],
  registeredBy: { kind: 'partner', id: 'key-other' },
  ...overrides,
});
const inScope = complaint();
const outOfScope = complaint({ propertyId: 'gz-estate', regionId: 'south' });

const staff = (roleLevel: RoleLevel, departmentKind = 'engineering'): Principal => ({
  kind: 'staff',
  groupId: 'demo-group',
  staffId: `s-${roleLevel}`,
  roleLevel,
  propertyIds: roleLevel === 'regional_gm' || roleLevel === 'group_hq' ? [] : ['sh-mall'],
  regionId: roleLevel === 'regional_gm' ? 'east' : '',
  departmentKind: roleLevel === 'property_head' ? '' : departmentKind,
});
const partner = (propertyIds: string[] | null, admin = false): Principal => ({
  kind: 'partner',
  groupId: 'demo-group',
  keyId: 'key-1',
  propertyIds,
  admin,
});

const PRINCIPALS: Record<string, Principal> = {
  frontline: staff('frontline'),
  supervisor: staff('supervisor'),
  manager: staff('manager'),
  property_head: staff('property_head'),
  regional_gm: staff('regional_gm'),
  // Headquarters sees everything, so "out of scope" is another group's: not asked (queries carry the group).
  group_hq: staff('group_hq'),
  partner_key: partner(null),
  limited_key: partner(['sh-mall']),
  admin_key: partner(null, true),
};

/** Complaint actions, in scope (a complaint of their own department): A allowed, D denied. */
const ON_COMPLAINT: Record<string, Partial<Record<Action, 'A' | 'D'>>> = {
  //              view act approve reassign reveal; spot checks are the quality department's (and keys naming its staff)
  frontline: { view: 'A', act: 'A', approve: 'D', reassign: 'D', reveal_personal_data: 'A' },
  supervisor: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'A' },
  manager: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'A' },
  property_head: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'A' },
  regional_gm: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'A' },
  group_hq: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'A' },
  partner_key: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'D', spot_check: 'A' },
  limited_key: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'D', spot_check: 'A' },
  admin_key: { view: 'A', act: 'A', approve: 'A', reassign: 'A', reveal_personal_data: 'A', spot_check: 'A' },
};

/** Scope actions on the group and on a region or property in / out of scope: A, D, or N (not visible, 404). */
const ON_SCOPE: Record<
  string,
  Record<
    | 'export'
    | 'manage_master_data'
    | 'manage_policies'
    | 'manage_api_keys'
    | 'audit_access_log'
    | 'erase_personal_data',
    string
  >
> = {
  //                      group, property in, property out
  frontline: {
    export: 'DDN',
    manage_master_data: 'DDN',
    manage_policies: 'DDN',
    manage_api_keys: 'DDN',
    audit_access_log: 'DDN',
    erase_personal_data: 'DDN',
  },
  supervisor: {
    export: 'DDN',
    manage_master_data: 'DDN',
    manage_policies: 'DDN',
    manage_api_keys: 'DDN',
    audit_access_log: 'DDN',
    erase_personal_data: 'DDN',
  },
  manager: {
    export: 'DDN',
    manage_master_data: 'DDN',
    manage_policies: 'DDN',
    manage_api_keys: 'DDN',
    audit_access_log: 'DDN',
    erase_personal_data: 'DDN',
  },
  property_head: {
    export: 'DAN',
    manage_master_data: 'DDN',
    manage_policies: 'DDN',
    manage_api_keys: 'DDN',
    audit_access_log: 'DDN',
    erase_personal_data: 'DDN',
  },
  regional_gm: {
    export: 'DAN',
    manage_master_data: 'DDN',
    manage_policies: 'DDN',
    manage_api_keys: 'DDN',
    audit_access_log: 'DDN',
    erase_personal_data: 'DDN',
  },
  group_hq: {
    export: 'AAA',
    manage_master_data: 'AAA',
    manage_policies: 'AAA',
    manage_api_keys: 'AAA',
    audit_access_log: 'AAA',
    erase_personal_data: 'AAA',
  },
  partner_key: {
    export: 'AAA',
    manage_master_data: 'DDD',
    manage_policies: 'DDD',
    manage_api_keys: 'DDD',
    audit_access_log: 'DDD',
    erase_personal_data: 'DDD',
  },
  limited_key: {
    export: 'DAN',
    manage_master_data: 'DDN',
    manage_policies: 'DDN',
    manage_api_keys: 'DDN',
    audit_access_log: 'DDN',
    erase_personal_data: 'DDN',
  },
  admin_key: {
    export: 'AAA',
    manage_master_data: 'AAA',
    manage_policies: 'AAA',
    manage_api_keys: 'AAA',
    audit_access_log: 'AAA',
    erase_personal_data: 'AAA',
  },
};

const OUTCOME = { A: 'allowed', D: 'denied', N: 'not_visible' } as const;
const COMPLAINT_ACTIONS = ['view', 'act', 'approve', 'reassign', 'reveal_personal_data', 'spot_check'] as const;
const SCOPE_ACTIONS = [
  'export',
  'manage_master_data',
  'manage_policies',
  'manage_api_keys',
  'audit_access_log',
  'erase_personal_data',
] as const;

describe('the permission matrix', () => {
  it('covers every action', () => {
    expect([...COMPLAINT_ACTIONS, ...SCOPE_ACTIONS].sort()).toEqual([...ACTIONS].sort());
  });

  const complaintCases = Object.entries(ON_COMPLAINT).flatMap(([who, row]) =>
    COMPLAINT_ACTIONS.map((action) => [who, action, OUTCOME[row[action] ?? 'D']] as const),
  );
  it.each(complaintCases)('%s: %s on a complaint in scope is %s', (who, action, outcome) => {
    expect(decide(PRINCIPALS[who], action, inScope).outcome).toBe(outcome);
  });

  const outCases = Object.keys(PRINCIPALS)
    .filter((who) => who !== 'group_hq' && who !== 'partner_key' && who !== 'admin_key')
    .flatMap((who) => ACTIONS.map((action) => [who, action] as const));
  it.each(outCases)('%s: %s on a complaint out of scope is not visible (404)', (who, action) => {
    expect(decide(PRINCIPALS[who], action, outOfScope)).toEqual({ outcome: 'not_visible' });
  });

  it.each(Object.keys(PRINCIPALS).flatMap((who) => SCOPE_ACTIONS.map((action) => [who, action] as const)))(
    '%s: scope actions are not actions on a complaint (%s)',
    (who, action) => {
      expect(decide(PRINCIPALS[who], action, inScope).outcome).toBe('denied');
    },
  );

  const scopeCases = Object.entries(ON_SCOPE).flatMap(([who, row]) =>
    SCOPE_ACTIONS.flatMap((action) => {
      const [group, propertyIn, propertyOut] = row[action].split('') as ('A' | 'D' | 'N')[];
      return [
        [who, action, 'the group', { kind: 'group' as const }, OUTCOME[group]],
        [
          who,
          action,
          'a property in scope',
          { kind: 'property' as const, id: 'sh-mall', regionId: 'east' },
          OUTCOME[propertyIn],
        ],
        [
          who,
          action,
          'a property out of scope',
          { kind: 'property' as const, id: 'gz-estate', regionId: 'south' },
          OUTCOME[propertyOut],
        ],
      ] as const;
    }),
  );
  it.each(scopeCases)('%s: %s on %s is %s', (who, action, _label, resource, outcome) => {
    expect(decide(PRINCIPALS[who], action, resource).outcome).toBe(outcome);
  });
});

describe('personal data', () => {
  it('an admin key limited to some properties reveals there, but the group-wide log and erasures are not its', () => {
    const limitedAdmin = partner(['sh-mall'], true);
    expect(decide(limitedAdmin, 'reveal_personal_data', inScope).outcome).toBe('allowed');
    expect(decide(limitedAdmin, 'audit_access_log', { kind: 'group' }).outcome).toBe('denied');
    expect(decide(limitedAdmin, 'erase_personal_data', { kind: 'group' }).outcome).toBe('denied');
  });
});

describe('departments', () => {
  const otherDepartment = complaint({ department: 'security' });

  it.each(['frontline', 'supervisor', 'manager'] as const)(
    '%s sees another department’s complaint but does not act on it',
    (level) => {
      const member = staff(level);
      expect(decide(member, 'view', otherDepartment).outcome).toBe('allowed');
      expect(decide(member, 'act', otherDepartment).outcome).toBe('denied');
      expect(decide(member, 'reveal_personal_data', otherDepartment).outcome).toBe('denied');
    },
  );

  it('the handler acts on and sees the personal data of their complaint, whatever its department', () => {
    const handled = complaint({ department: 'security', handlerId: 's-frontline' });
    expect(decide(staff('frontline'), 'act', handled).outcome).toBe('allowed');
    expect(decide(staff('frontline'), 'reveal_personal_data', handled).outcome).toBe('allowed');
  });

  it('staff without a department reveal nothing, not even a complaint not yet routed', () => {
    const unrouted = complaint({ department: '' });
    expect(decide(staff('frontline', ''), 'reveal_personal_data', unrouted).outcome).toBe('denied');
    expect(decide(staff('frontline', ''), 'reveal_personal_data', inScope).outcome).toBe('denied');
    expect(decide(staff('frontline'), 'reveal_personal_data', unrouted).outcome).toBe('denied');
    expect(decide(staff('property_head'), 'reveal_personal_data', unrouted).outcome).toBe('allowed');
  });

  it('customer service coordinates every complaint of its property', () => {
    expect(decide(staff('frontline', 'customer_service'), 'act', otherDepartment).outcome).toBe('allowed');
  });

  it('property heads and above act on every department', () => {
    for (const level of ['property_head', 'regional_gm', 'group_hq'] as const) {
      expect(decide(staff(level), 'act', otherDepartment).outcome).toBe('allowed');
    }
  });
});

describe('approvals need the level the deadline policy names', () => {
  it('denies below it and allows at or above it', () => {
    const important = complaint({ requiredLevel: 'property_head' });
    expect(decide(staff('manager'), 'approve', important)).toEqual({
      outcome: 'denied',
      reason: 'approving this needs property_head or above',
    });
    expect(decide(staff('property_head'), 'approve', important).outcome).toBe('allowed');
    expect(decide(staff('regional_gm'), 'approve', important).outcome).toBe('allowed');
  });
});

describe('confidential complaints', () => {
  const secret = complaint({
    confidential: true,
    confidentialStaffIds: ['s-manager'],
    registeredBy: { kind: 'partner', id: 'key-1' },
  });

  it('exist only for the staff named on them, whatever their level', () => {
    expect(decide(staff('manager'), 'view', secret).outcome).toBe('allowed');
    expect(decide(staff('group_hq'), 'view', secret).outcome).toBe('not_visible');
    expect(decide(staff('property_head'), 'act', secret).outcome).toBe('not_visible');
  });

  it('exist for the staff member who registered them and for their handler, within their scope', () => {
    const registeredByFrontline = complaint({ confidential: true, registeredBy: { kind: 'staff', id: 's-frontline' } });
    expect(decide(staff('frontline'), 'view', registeredByFrontline).outcome).toBe('allowed');
    expect(decide(staff('supervisor'), 'view', registeredByFrontline).outcome).toBe('not_visible');
    const handled = { ...secret, handlerId: 's-supervisor' };
    expect(decide(staff('supervisor'), 'act', handled).outcome).toBe('allowed');
    expect(decide(staff('frontline'), 'view', handled).outcome).toBe('not_visible');
    const handledElsewhere = { ...handled, propertyId: 'gz-estate', regionId: 'south' };
    expect(decide(staff('supervisor'), 'view', handledElsewhere).outcome).toBe('not_visible');
  });

  it('exist for the key that registered them and admin keys, not for other keys', () => {
    expect(decide(partner(null), 'view', secret).outcome).toBe('allowed');
    expect(decide({ ...partner(null), keyId: 'key-2' } as Principal, 'view', secret).outcome).toBe('not_visible');
    expect(decide({ ...partner(null, true), keyId: 'key-2' } as Principal, 'view', secret).outcome).toBe('allowed');
  });
});

describe('list scope', () => {
  it('limits queries as decide limits single complaints', () => {
    expect(listScope(staff('frontline'))).toEqual({
      propertyScope: ['sh-mall'],
      regionScope: [],
      confidentialViewer: { staffId: 's-frontline', actorId: '' },
    });
    expect(listScope(staff('regional_gm'))).toMatchObject({ propertyScope: [], regionScope: ['east'] });
    expect(listScope(staff('group_hq'))).toMatchObject({ propertyScope: [], regionScope: [] });
    expect(listScope(partner(['sh-mall']))).toEqual({
      propertyScope: ['sh-mall'],
      regionScope: [],
      confidentialViewer: { staffId: '', actorId: 'key-1' },
    });
    expect(listScope(partner(null, true)).confidentialViewer).toBeUndefined();
  });

  it('gives a staff member without properties nothing rather than everything', () => {
    expect(listScope({ ...staff('frontline'), propertyIds: [] }).propertyScope).toEqual(['']);
  });
});

describe('an admin key limited to some properties', () => {
  const limitedAdmin = partner(['sh-mall'], true);
  it.each(['manage_master_data', 'manage_policies', 'manage_api_keys'] as const)(
    '%s: on its property yes, another property does not exist for it, the group and regions no',
    (action) => {
      expect(decide(limitedAdmin, action, { kind: 'property', id: 'sh-mall', regionId: 'east' }).outcome).toBe(
        'allowed',
      );
      expect(decide(limitedAdmin, action, { kind: 'property', id: 'sh-tower', regionId: 'east' }).outcome).toBe(
        'not_visible',
      );
      expect(decide(limitedAdmin, action, { kind: 'group' }).outcome).toBe('denied');
      expect(decide(limitedAdmin, action, { kind: 'region', id: 'east' }).outcome).toBe('denied');
    },
  );
});
