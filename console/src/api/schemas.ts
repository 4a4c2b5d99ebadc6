import type { components } from './generated/openapi';
import type { Lifecycle } from './types';

// The request bodies as the gateway's OpenAPI document defines them (openapi.d.ts is generated
// from it), so a form that sends a field the gateway no longer knows fails to compile.

export type Schemas = components['schemas'];
export type RegisterComplaint = Schemas['RegisterComplaint'];
export type Colleagues = Schemas['Colleagues'];

/** Each lifecycle action's request body (staffId included). */
export interface ActionRequests {
  acknowledge: Schemas['AcknowledgeRequest'];
  start_investigation: Schemas['StartInvestigationRequest'];
  propose_plan: Schemas['ProposePlanRequest'];
  approve_plan: Schemas['ApprovePlanRequest'];
  reject_plan: Schemas['RejectPlanRequest'];
  request_extension: Schemas['RequestExtensionRequest'];
  await_complainant: Schemas['AwaitComplainantRequest'];
  await_outside_body: Schemas['AwaitOutsideBodyRequest'];
  give_progress: Schemas['GiveProgressRequest'];
  resume: Schemas['ResumeRequest'];
  resolve: Schemas['ResolveRequest'];
  record_callback: Schemas['RecordCallbackRequest'];
  send_survey: Schemas['SendSurveyRequest'];
  reopen: Schemas['ReopenRequest'];
  close: Schemas['CloseRequest'];
  supervise: Schemas['SuperviseRequest'];
  answer_supervision: Schemas['AnswerSupervisionRequest'];
  accept_supervision: Schemas['AcceptSupervisionRequest'];
  return_supervision: Schemas['ReturnSupervisionRequest'];
}

/** The console's own actions, each one endpoint's with a fixed field: closing as unreachable is `close`. */
export interface ConsoleActionRequests extends ActionRequests {
  close_unreachable: Schemas['CloseRequest'];
}

/** The public survey page's: what a link opens and what the complainant sends. */
export type Survey = Schemas['Survey'];
export type SurveyAnswer = Schemas['SurveyAnswer'];

/** The complainant's own view: what they enter, and what they are shown. */
export type ComplainantViewRequest = Schemas['ComplainantViewRequest'];
export type ComplainantView = Schemas['ComplainantView'];

/** Every field of any member of a union (the callback body is one per outcome). */
type KeysOf<T> = T extends unknown ? keyof T : never;
/** `remedy.kind`, `cause.text` …: the fields of an object in a body, as one form field each. */
type NestedKeysOf<T> = T extends unknown
  ? {
      [K in keyof T & string]: NonNullable<T[K]> extends Record<string, unknown>
        ? `${K}.${keyof NonNullable<T[K]> & string}`
        : never;
    }[keyof T & string]
  : never;
/** The fields of an action's form: its body without staffId, which is the signed-in person. */
export type ActionFieldName<A extends keyof ConsoleActionRequests> = Exclude<
  KeysOf<ConsoleActionRequests[A]> | NestedKeysOf<ConsoleActionRequests[A]>,
  'staffId'
> &
  string;

// The console's reading of a lifecycle has exactly the fields the gateway answers.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const lifecycleFieldsMatch: Same<keyof Lifecycle, keyof Schemas['Lifecycle']> = true;
