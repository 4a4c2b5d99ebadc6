/**
 * One complaint of the preloaded year, as the bench generates it. Each service's preload
 * (`bench/src/preload/<service>.ts`) writes what that service itself would have stored for it,
 * in its own database, so the platform is measured holding a group's year of data.
 */
export interface PreloadComplaint {
  id: string;
  groupId: string;
  number: string;
  propertyId: string;
  propertyCode: string;
  regionId: string;
  channel: string;
  category: string;
  severity: 'general' | 'important' | 'major';
  department: string;
  departmentId: string;
  handler: { id: string; name: string };
  propertyHead: { id: string; name: string };
  receivedAt: Date;
  /** Null while still open; most of a year's complaints are closed. */
  closedAt: Date | null;
  status: 'assigned' | 'acknowledged' | 'investigating' | 'closed';
  description: string;
  location: string;
  demand: string;
  /** The blind index of the contact (a keyed hash); a few complainants complain more than once. */
  complainantKey: string;
  idempotencyKey: string;
  /** Event ids of what happened to it, in order: registered, routed, then lifecycle events. */
  eventIds: string[];
}

/** Where a service's preload writes: the database the service itself uses in this run. */
export interface PreloadTarget {
  mongoUrl: string;
  /** e.g. `bench_intake`: the platform's database prefix and the service name. */
  dbName: string;
}

/** What each service's preload exports; batches come in order, oldest complaints first. */
export type PreloadService = (target: PreloadTarget, batch: readonly PreloadComplaint[]) => Promise<void>;
