/**
 * NATS users of the local platform, one per service, with what each may publish: the events it
 * owns and nothing else (a forged `transitioned` from notification is refused by the server). The
 * JetStream API, acknowledgements, dead letters and reply inboxes are open to every service: they
 * are how any consumer works. The Helm chart renders the same table for a deployment's NATS
 * (deploy/helm/complaints/templates/nats-authorization.yaml).
 */
export const EVENT_PUBLISHERS: Readonly<Record<string, readonly string[]>> = {
  intake: [
    'registered',
    'withdrawn',
    'note_added',
    'personal_data_erased',
    'corrected',
    'staff_consequence',
    'handover_written',
    'handover_signed',
    'ledger_day_reviewed',
    'ledger_month_archived',
    'work_order',
  ],
  routing: ['routed', 'reclassified', 'reassigned', 'merged', 'unmerged'],
  escalation: ['transitioned', 'deadline_breached', 'deadline_reminder', 'escalated', 'corrective_action'],
  notification: [],
  reporting: [],
};

/** Local only, published here like the other local secrets. */
export const localNatsPassword = (service: string) => `local-only-nats-${service}`;

/** Every service's permissions as NATS server configuration. */
export function natsPermissions(service: string) {
  return {
    publish: {
      allow: [
        ...(EVENT_PUBLISHERS[service] ?? []).map((type) => `complaints.v1.${type}`),
        '$JS.API.>',
        '$JS.ACK.>',
        'deadletters.v1.>',
        '_INBOX.>',
      ],
    },
    subscribe: { allow: ['_INBOX.>'] },
  };
}

/**
 * The local NATS server's users. Connections without credentials (the tests, the bench, tools)
 * are the `local` user, which may do anything: only the services are held to their permissions.
 */
export function localNatsConfig(): Record<string, unknown> {
  return {
    authorization: {
      users: [
        { user: 'local', password: 'local-only-nats-tools' },
        ...Object.keys(EVENT_PUBLISHERS).map((service) => ({
          user: service,
          password: localNatsPassword(service),
          permissions: natsPermissions(service),
        })),
      ],
    },
    no_auth_user: 'local',
  };
}
