import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getJson, sendJson } from '../api/client';
import type { Schemas } from '../api/schemas';
import type { Complaint } from '../api/types';
import { useMe } from '../auth/session';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';
import { formText } from '../lib/form';
import { parseLines, parseMaterials } from '../lib/work-order-form';

// Repair work orders (报修): the page that lists and raises them, the card that takes one through
// dispatch, arrival, completion and the requester's confirmation, and the complaint page's section.

type WorkOrder = Schemas['WorkOrder'];
type RaiseBody = Schemas['RaiseWorkOrder'];
type RaiseFromComplaintBody = Schemas['RaiseWorkOrderFromComplaint'];

/** The maintenance trades (报修 工种), in the order forms show them; the directory page picks them too. */
export const TRADES = ['plumbing', 'electrical', 'hvac', 'lifts', 'civil', 'other'] as const;
const URGENCIES = ['emergency', 'urgent', 'normal'] as const;
const STATUSES = ['raised', 'dispatched', 'arrived', 'completed', 'confirmed'] as const;

const RAISE_FIELDS = ['propertyId', 'location', 'trade', 'urgency', 'description', 'channel', 'requester'];

export function WorkOrdersPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [mine, setMine] = useState(false);
  const query = {
    limit: 100,
    ...(status ? { status } : {}),
    ...(overdue ? { overdue: 'true' } : {}),
    ...(mine ? { assignedTo: 'me' } : {}),
  };
  const list = useQuery({
    queryKey: ['work-orders', query],
    queryFn: () => getJson<{ items: WorkOrder[] }>('/v1/work-orders', query),
    refetchInterval: 30_000,
  });
  return (
    <div className="page">
      <h1>{t('workOrder.title')}</h1>
      <RaiseWorkOrder />
      <section aria-labelledby="work-orders-list" className="card wide">
        <h2 id="work-orders-list">{t('workOrder.title')}</h2>
        <div className="filters">
          <Field label={t('workOrder.filterStatus')}>
            <select name="status" value={status} onChange={(event) => setStatus(event.target.value)}>
              <option value="">{t('workOrder.all')}</option>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(`enum.workOrderStatus.${value}`)}
                </option>
              ))}
            </select>
          </Field>
          <label>
            <input type="checkbox" checked={overdue} onChange={(event) => setOverdue(event.target.checked)} />{' '}
            {t('workOrder.overdueOnly')}
          </label>
          <label>
            <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} />{' '}
            {t('workOrder.mine')}
          </label>
        </div>
        <ProblemAlert error={list.error} />
        {list.data && list.data.items.length === 0 && <p>{t('workOrder.none')}</p>}
        {list.data?.items.map((order) => (
          <WorkOrderCard key={order.id} order={order} />
        ))}
      </section>
    </div>
  );
}

function RaiseWorkOrder() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const own = me.scopeProperties.filter((property) => me.propertyIds.includes(property.id));
  const properties = own.length > 0 ? own : me.scopeProperties;
  const raise = useMutation({
    mutationFn: (form: FormData) => {
      const body: RaiseBody = {
        propertyId: formText(form, 'propertyId'),
        location: formText(form, 'location'),
        trade: formText(form, 'trade') as RaiseBody['trade'],
        urgency: formText(form, 'urgency') as RaiseBody['urgency'],
        description: formText(form, 'description'),
        channel: formText(form, 'channel') as NonNullable<RaiseBody['channel']>,
        requester: formText(form, 'requester'),
      };
      return sendJson<WorkOrder>('POST', '/v1/work-orders', body);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['work-orders'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    raise.mutate(new FormData(event.currentTarget));
  };
  const error = (name: string) => fieldError(raise.error, name);
  return (
    <form aria-labelledby="raise-work-order" className="card" noValidate onSubmit={submit}>
      <h2 id="raise-work-order">{t('workOrder.raise')}</h2>
      <Field label={t('workOrder.property')} error={error('propertyId')}>
        <select name="propertyId" defaultValue={properties[0]?.id ?? ''}>
          {properties.map((property) => (
            <option key={property.id} value={property.id}>
              {property.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('workOrder.channel')} error={error('channel')}>
        <select name="channel" defaultValue="phone">
          {(['phone', 'desk', 'online'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`enum.workOrderChannel.${value}`)}
            </option>
          ))}
        </select>
      </Field>
      <TradeAndUrgency error={error} />
      <Field label={t('workOrder.location')} error={error('location')}>
        <input name="location" maxLength={200} />
      </Field>
      <Field label={t('workOrder.description')} error={error('description')}>
        <textarea name="description" rows={3} maxLength={4000} />
      </Field>
      <Field label={t('workOrder.requester')} error={error('requester')}>
        <input name="requester" maxLength={100} />
      </Field>
      <ProblemAlert error={raise.error} shownFields={RAISE_FIELDS} />
      {raise.data && <p role="status">{t('workOrder.raised', { number: raise.data.number })}</p>}
      <button type="submit" className="primary" disabled={raise.isPending}>
        {t('workOrder.raise')}
      </button>
    </form>
  );
}

function TradeAndUrgency({ error }: { error: (name: string) => string | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('workOrder.trade')} error={error('trade')}>
        <select name="trade" defaultValue="plumbing">
          {TRADES.map((value) => (
            <option key={value} value={value}>
              {t(`enum.trade.${value}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('workOrder.urgency')} error={error('urgency')}>
        <select name="urgency" defaultValue="normal">
          {URGENCIES.map((value) => (
            <option key={value} value={value}>
              {t(`enum.urgency.${value}`)}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

/** One work order, and the form of its next step. */
export function WorkOrderCard({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const step = useMutation({
    mutationFn: ({ path, body }: { path: string; body: object }) =>
      sendJson<WorkOrder>('POST', `/v1/work-orders/${order.id}/${path}`, body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['work-orders'] }),
        ...(order.complaint ? [queryClient.invalidateQueries({ queryKey: ['complaint', order.complaint.id] })] : []),
      ]),
  });
  const send = (path: string, body: object) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    step.mutate({ path, body });
  };
  const late = order.overdue.arrival || order.overdue.completion;
  return (
    <article className="card" aria-label={order.number} data-testid="work-order">
      <h3>
        {order.number} · {t(`enum.workOrderStatus.${order.status}`, { defaultValue: order.status })}
        {late && (
          <span className="badge overdue" role="status">
            {' '}
            {t('workOrder.overdue')}
          </span>
        )}
      </h3>
      <dl className="facts">
        <dt>{t('workOrder.location')}</dt>
        <dd>{order.location}</dd>
        <dt>{t('workOrder.trade')}</dt>
        <dd>
          {t(`enum.trade.${order.trade}`, { defaultValue: order.trade })} ·{' '}
          {t(`enum.urgency.${order.urgency}`, { defaultValue: order.urgency })}
        </dd>
        <dt>{t('workOrder.description')}</dt>
        <dd>{order.description}</dd>
        <dt>{t('workOrder.assignee')}</dt>
        <dd>{order.assignee?.name ?? '—'}</dd>
        <dt>{t('workOrder.arriveBy')}</dt>
        <dd>{when(order.arriveBy)}</dd>
        <dt>{t('workOrder.completeBy')}</dt>
        <dd>{when(order.completeBy)}</dd>
        {order.complaint && (
          <>
            <dt>{t('workOrder.complaint')}</dt>
            <dd>
              <Link to={`/complaints/${order.complaint.id}`}>{order.complaint.number}</Link>
              {order.complaint.waits ? ` · ${t('workOrder.waits')}` : ''}
            </dd>
          </>
        )}
        {order.repeatRepair && (
          <>
            <dt>{t('workOrder.repeat', { number: order.repeatRepair.number })}</dt>
            <dd data-testid="repeat-repair">⚠</dd>
          </>
        )}
        {order.workDone && (
          <>
            <dt>{t('workOrder.workDone')}</dt>
            <dd>
              {order.workDone}
              {order.materials.length > 0 &&
                ` (${order.materials.map((m) => `${m.name} ×${m.quantity}${m.unit}`).join('、')})`}
            </dd>
          </>
        )}
        {order.rating !== null && (
          <>
            <dt>{t('workOrder.rating')}</dt>
            <dd>
              {t('workOrder.rated', { rating: order.rating })}
              {order.reworks > 0 ? ` · ${t('workOrder.reworks', { count: order.reworks })}` : ''}
            </dd>
          </>
        )}
      </dl>
      {(order.status === 'raised' || order.status === 'dispatched') && (
        <form
          noValidate
          onSubmit={(event) => {
            const staffId = formText(new FormData(event.currentTarget), 'staffId');
            send('dispatch', staffId ? { staffId } : {})(event);
          }}
        >
          <Field label={t('workOrder.staffId')} error={fieldError(step.error, 'staffId')}>
            <input name="staffId" maxLength={64} />
          </Field>
          <button type="submit" disabled={step.isPending}>
            {t('workOrder.dispatch')}
          </button>
        </form>
      )}
      {order.status === 'dispatched' && (
        <form noValidate onSubmit={send('arrive', {})}>
          <button type="submit" disabled={step.isPending}>
            {t('workOrder.arrive')}
          </button>
        </form>
      )}
      {order.status === 'arrived' && (
        <form
          noValidate
          onSubmit={(event) => {
            const form = new FormData(event.currentTarget);
            send('complete', {
              workDone: formText(form, 'workDone'),
              materials: parseMaterials(formText(form, 'materials')),
              photos: parseLines(formText(form, 'photos')),
            })(event);
          }}
        >
          <Field label={t('workOrder.workDone')} error={fieldError(step.error, 'workDone')}>
            <textarea name="workDone" rows={2} maxLength={4000} />
          </Field>
          <Field label={t('workOrder.materials')}>
            <textarea name="materials" rows={2} />
          </Field>
          <Field label={t('workOrder.photos')}>
            <textarea name="photos" rows={2} />
          </Field>
          <button type="submit" className="primary" disabled={step.isPending}>
            {t('workOrder.complete')}
          </button>
        </form>
      )}
      {order.status === 'completed' && (
        <form
          noValidate
          onSubmit={(event) => {
            const form = new FormData(event.currentTarget);
            send('confirm', {
              fixed: form.get('fixed') === 'on',
              rating: Number(formText(form, 'rating')),
              feedback: formText(form, 'feedback'),
            })(event);
          }}
        >
          <Field label={t('workOrder.rating')} error={fieldError(step.error, 'rating')}>
            <select name="rating" defaultValue="5">
              {[5, 4, 3, 2, 1].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('workOrder.feedback')}>
            <input name="feedback" maxLength={2000} />
          </Field>
          <label>
            <input type="checkbox" name="fixed" defaultChecked /> {t('workOrder.fixed')}
          </label>
          <button type="submit" className="primary" disabled={step.isPending}>
            {t('workOrder.confirm')}
          </button>
        </form>
      )}
      <ProblemAlert error={step.error} shownFields={['staffId', 'workDone', 'rating']} />
    </article>
  );
}

/** The complaint page's section: its work orders, and raising one from it. */
export function ComplaintWorkOrders({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const orders = useQuery({
    queryKey: ['complaint', complaint.id, 'work-orders'],
    queryFn: () => getJson<{ items: WorkOrder[] }>(`/v1/complaints/${complaint.id}/work-orders`),
  });
  const raise = useMutation({
    mutationFn: (form: FormData) => {
      const body: RaiseFromComplaintBody = {
        location: formText(form, 'location'),
        trade: formText(form, 'trade') as RaiseFromComplaintBody['trade'],
        urgency: formText(form, 'urgency') as RaiseFromComplaintBody['urgency'],
        description: formText(form, 'description'),
        // The complainant is who reported it: their name stays sealed on the complaint.
        requester: '',
        waitForIt: form.get('waitForIt') === 'on',
      };
      return sendJson<WorkOrder>('POST', `/v1/complaints/${complaint.id}/work-orders`, body);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] }),
  });
  const error = (name: string) => fieldError(raise.error, name);
  return (
    <section aria-labelledby="complaint-work-orders" className="card wide">
      <h2 id="complaint-work-orders">{t('workOrder.ofComplaint')}</h2>
      {orders.data && orders.data.items.length === 0 && <p>{t('workOrder.none')}</p>}
      {orders.data?.items.map((order) => (
        <WorkOrderCard key={order.id} order={order} />
      ))}
      <form
        aria-label={t('workOrder.raiseFromComplaint')}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          raise.mutate(new FormData(event.currentTarget));
        }}
      >
        <h3>{t('workOrder.raiseFromComplaint')}</h3>
        <TradeAndUrgency error={error} />
        <Field label={t('workOrder.location')} error={error('location')}>
          <input name="location" maxLength={200} placeholder={complaint.location} />
        </Field>
        <Field label={t('workOrder.description')} error={error('description')}>
          <textarea name="description" rows={2} maxLength={4000} />
        </Field>
        <label>
          <input type="checkbox" name="waitForIt" /> {t('workOrder.waitForIt')}
        </label>
        <ProblemAlert error={raise.error} shownFields={['location', 'trade', 'urgency', 'description']} />
        {raise.data && <p role="status">{t('workOrder.raised', { number: raise.data.number })}</p>}
        <button type="submit" className="primary" disabled={raise.isPending}>
          {t('workOrder.raise')}
        </button>
      </form>
    </section>
  );
}
