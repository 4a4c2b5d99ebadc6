import { useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { getJson } from './client';
import type { Colleagues } from './schemas';
import type { Complaint, ComplaintPage, Directory, TimelineEntry } from './types';

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

/** The staff working at a property, as any signed-in person may know them (names, levels, departments). */
export function useColleagues(propertyId: string, enabled = true) {
  return useQuery({
    queryKey: ['staff', propertyId],
    queryFn: () => getJson<Colleagues>('/v1/staff', { propertyId }),
    staleTime: 60_000,
    enabled: enabled && propertyId !== '',
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

/** Query parameters of `GET /v1/complaints` (filters, search, queue). */
export type ListParams = Record<string, string | string[] | undefined>;

/**
 * Complaints as the gateway lists, filters, searches and sorts them, a page at a time: the pages
 * loaded so far, and `loadMore` for the next. Queues are complete at any size this way.
 */
export function useComplaintList(params: ListParams, enabled = true) {
  const list = useInfiniteQuery({
    queryKey: ['complaints', params],
    queryFn: ({ pageParam }) =>
      getJson<ComplaintPage>('/v1/complaints', { ...params, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
    enabled,
  });
  return {
    complaints: list.data?.pages.flatMap((page) => page.items) ?? [],
    isLoading: list.isLoading,
    error: list.error,
    hasMore: list.hasNextPage,
    loadingMore: list.isFetchingNextPage,
    loadMore: () => void list.fetchNextPage(),
  };
}

/** Each complaint read once more, with its lifecycle (plans and extensions to decide on). */
export function useWithLifecycle(items: Complaint[]) {
  const details = useQueries({
    queries: items.map((item) => ({
      queryKey: ['complaint', item.id],
      queryFn: () => getJson<Complaint>(`/v1/complaints/${encodeURIComponent(item.id)}`),
      staleTime: 10_000,
      refetchInterval: 30_000,
    })),
  });
  return {
    complaints: items.map((item, i) => details[i]?.data ?? item),
    isLoading: details.some((detail) => detail.isLoading),
    error: details.find((detail) => detail.error)?.error ?? null,
  };
}
