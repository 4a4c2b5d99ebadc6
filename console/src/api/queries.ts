import { useQueries, useQuery } from '@tanstack/react-query';
import { getJson } from './client';
import type { Complaint, ComplaintPage, Directory, TimelineEntry } from './types';

export interface ComplaintFilters {
  status: string[];
  severity: string[];
  propertyId: string[];
}

/**
 * The group's directory (admin sign-ins); null when this sign-in may not read it. `enabled`: false
 * where the page knows it may not (no manage_master_data), to spare the gateway a refused request.
 */
export function useDirectory(enabled = true) {
  return useQuery({
    queryKey: ['directory'],
    queryFn: () => getJson<Directory>('/v1/admin/directory').catch(() => null),
    staleTime: 60_000,
    enabled,
  });
}

export function useComplaint(id: string) {
  return useQuery({
    queryKey: ['complaint', id],
    queryFn: () => getJson<Complaint>(`/v1/complaints/${encodeURIComponent(id)}`),
    // Until routing has started its lifecycle, look again every two seconds.
    refetchInterval: (query) => (query.state.data && !query.state.data.lifecycle ? 2_000 : 15_000),
  });
}

export function useTimeline(id: string) {
  return useQuery({
    queryKey: ['complaint', id, 'timeline'],
    queryFn: () => wholeTimeline(id),
    refetchInterval: 15_000,
  });
}

/** Every page of a complaint's timeline (a complaint holds at most a few thousand entries). */
async function wholeTimeline(id: string): Promise<{ entries: TimelineEntry[] }> {
  const entries: TimelineEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: { entries: TimelineEntry[]; nextCursor: string | null } = await getJson(
      `/v1/complaints/${encodeURIComponent(id)}/timeline`,
      { limit: 500, ...(cursor ? { cursor } : {}) },
    );
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { entries };
}

/**
 * Complaints matching the filters, each with its lifecycle: the list endpoint answers records
 * without deadlines, so each one is read once more (a page of at most 100).
 */
export function useComplaintsWithLifecycle(filters: ComplaintFilters) {
  const list = useQuery({
    queryKey: ['complaints', filters],
    queryFn: () => getJson<ComplaintPage>('/v1/complaints', { ...filters, limit: 100 }),
    refetchInterval: 30_000,
  });
  const details = useQueries({
    queries: (list.data?.items ?? []).map((item) => ({
      queryKey: ['complaint', item.id],
      queryFn: () => getJson<Complaint>(`/v1/complaints/${encodeURIComponent(item.id)}`),
      staleTime: 10_000,
      refetchInterval: 30_000,
    })),
  });
  const complaints = (list.data?.items ?? []).map((item, i) => details[i]?.data ?? item);
  return {
    complaints,
    isLoading: list.isLoading || details.some((detail) => detail.isLoading),
    error: list.error ?? details.find((detail) => detail.error)?.error ?? null,
    refetch: () => void list.refetch(),
  };
}
