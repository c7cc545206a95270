/**
 * The parts of an event (spec/event.schema.json) the ingest reads. The schema is the authority; this
 * type only describes a value that has already passed it.
 */
export interface Frame {
  file: string;
  line: number;
  col: number;
  fn: string;
  in_app: boolean;
}

export type Level = 'fatal' | 'error' | 'warning' | 'info';

export interface IngestEvent {
  event_id: string;
  project_key: string;
  fingerprint: string;
  type: string;
  message: string;
  stack: Frame[];
  level: Level;
  occurred_at: string;
  [field: string]: unknown;
}
